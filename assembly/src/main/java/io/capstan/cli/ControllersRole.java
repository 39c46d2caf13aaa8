package io.capstan.cli;

import io.capstan.controllers.cronjob.CronJobReconciler;
import io.capstan.controllers.daemonset.DaemonSetReconciler;
import io.capstan.controllers.deployment.DeploymentReconciler;
import io.capstan.controllers.endpoints.EndpointsReconciler;
import io.capstan.controllers.endpointslice.EndpointSliceReconciler;
import io.capstan.controllers.gc.GarbageCollector;
import io.capstan.controllers.job.JobReconciler;
import io.capstan.controllers.job.TtlAfterFinishedReconciler;
import io.capstan.controllers.nodeipam.CidrSet;
import io.capstan.controllers.nodeipam.NodeIpamReconciler;
import io.capstan.controllers.nodelifecycle.NodeLifecycleReconciler;
import io.capstan.controllers.nodelifecycle.TaintEvictionReconciler;
import io.capstan.controllers.replicaset.ReplicaSetReconciler;
import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.runtime.LeaderElection;
import io.capstan.controllers.scheduler.Scheduler;
import io.capstan.controllers.statefulset.StatefulSetReconciler;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;

/**
 * The controllers role: a controller manager that is a client of the API (also inside {@code
 * capstan server}), with every controller built so far registered.
 */
final class ControllersRole implements AutoCloseable {
  /** Workers per controller. */
  private static final int WORKERS = 2;
  private final KubernetesClient client;
  private final ControllerManager manager;

  /**
   * The node IPAM controller's settings ({@code --cluster-cidr}, {@code --node-cidr-mask-size}).
   *
   * @param clusterCidr the CIDR node pod blocks come from
   * @param maskSize the mask length of each node's block
   */
  record NodeIpam(String clusterCidr, int maskSize) {
    static NodeIpam defaults() {
      return new NodeIpam(NodeIpamReconciler.DEFAULT_CLUSTER_CIDR, NodeIpamReconciler.DEFAULT_MASK_SIZE);
    }

    /** From the flags, checked (a bad value is a usage error). */
    static NodeIpam of(Flags flags) {
      String cidr = flags.get("cluster-cidr", NodeIpamReconciler.DEFAULT_CLUSTER_CIDR);
      String mask = flags.get("node-cidr-mask-size", Integer.toString(NodeIpamReconciler.DEFAULT_MASK_SIZE));
      try {
        NodeIpam ipam = new NodeIpam(cidr, Integer.parseInt(mask));
        new CidrSet(ipam.clusterCidr(), ipam.maskSize());
        return ipam;
      } catch (NumberFormatException e) {
        throw new UsageException("invalid --node-cidr-mask-size \"" + mask + "\"");
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
  }

  private ControllersRole(KubernetesClient client, ControllerManager manager) {
    this.client = client;
    this.manager = manager;
  }

  /**
   * Starts the controllers against {@code config}; with leader election when several may run.
   * {@code nodeMonitorGracePeriod} is the node lifecycle controller's.
   */
  static ControllersRole start(Config config, boolean electLeader, Duration nodeMonitorGracePeriod, NodeIpam ipam)
      throws Exception {
    KubernetesClient client = new KubernetesClientBuilder().withConfig(Kubeconfig.http11(config)).build();
    ControllerManager manager = electLeader ? new ControllerManager(client, LeaderElection.defaults())
        : new ControllerManager(client);
    manager.register(ReplicaSetReconciler.controller(manager, WORKERS));
    manager.register(EndpointsReconciler.controller(manager, WORKERS));
    manager.register(EndpointSliceReconciler.controller(manager, WORKERS));
    manager.register(DeploymentReconciler.controller(manager, WORKERS));
    manager.register(NodeLifecycleReconciler.controller(manager, WORKERS, nodeMonitorGracePeriod));
    manager.register(TaintEvictionReconciler.controller(manager, WORKERS));
    manager.register(StatefulSetReconciler.controller(manager, WORKERS));
    manager.register(DaemonSetReconciler.controller(manager, WORKERS));
    manager.register(GarbageCollector.controller(manager, WORKERS));
    manager.register(JobReconciler.controller(manager, WORKERS));
    manager.register(TtlAfterFinishedReconciler.controller(manager, WORKERS));
    manager.register(CronJobReconciler.controller(manager, WORKERS));
    manager.register(Scheduler.controller(manager));
    manager.register(NodeIpamReconciler.controller(manager, WORKERS, ipam.clusterCidr(), ipam.maskSize()));
    manager.start();
    return new ControllersRole(client, manager);
  }

  @Override
  public void close() {
    manager.close();
    client.close();
  }
}
