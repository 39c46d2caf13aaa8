package io.capstan.controllers.scheduler;

import java.util.List;

/**
 * A filter: can the pod run on this node? Returns the reasons it cannot, in kube-scheduler's
 * wording (they are counted across nodes into the FailedScheduling message), or an empty list.
 * Runs on the scheduling loop thread with the {@link SchedulerCache} lock held: it must be quick
 * and must not block.
 */
interface FilterPlugin {
  /** The plug-in's name, as upstream's (NodeResourcesFit, TaintToleration, ...). */
  String name();

  /** Why {@code pod} cannot run on {@code node}; empty when it can. */
  List<String> filter(PodInfo pod, NodeInfo node, SchedulerCache cluster);

  /**
   * Whether evicting pods could make a rejected node fit (resources, ports, anti-affinity): upstream
   * then reports "No preemption victims found for incoming pod", otherwise "Preemption is not
   * helpful for scheduling".
   */
  default boolean resolvableByPreemption() {
    return false;
  }
}
