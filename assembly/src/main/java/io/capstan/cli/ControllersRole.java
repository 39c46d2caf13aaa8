package io.capstan.cli;

import io.capstan.controllers.cronjob.CronJobReconciler;
import io.capstan.controllers.daemonset.DaemonSetReconciler;
import io.capstan.controllers.deployment.DeploymentReconciler;
import io.capstan.controllers.endpoints.EndpointsReconciler;
import io.capstan.controllers.endpointslice.EndpointSliceReconciler;
import io.capstan.controllers.gc.GarbageCollector;
import io.capstan.controllers.job.JobReconciler;
import io.capstan.controllers.job.TtlAfterFinishedReconciler;
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

  private ControllersRole(KubernetesClient client, ControllerManager manager) {
    this.client = client;
    this.manager = manager;
  }

  /**
   * Starts the controllers against {@code config}; with leader election when several may run.
   * {@code nodeMonitorGracePeriod} is the node lifecycle controller's.
   */
  static ControllersRole start(Config config, boolean electLeader, Duration nodeMonitorGracePeriod) throws Exception {
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
    manager.start();
    return new ControllersRole(client, manager);
  }

  @Override
  public void close() {
    manager.close();
    client.close();
  }
}
