package io.capstan.cli;

import io.capstan.controllers.replicaset.ReplicaSetReconciler;
import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.runtime.LeaderElection;
import io.capstan.controllers.scheduler.Scheduler;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

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

  /** Starts the controllers against {@code config}; with leader election when several may run. */
  static ControllersRole start(Config config, boolean electLeader) throws Exception {
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    ControllerManager manager = electLeader ? new ControllerManager(client, LeaderElection.defaults())
        : new ControllerManager(client);
    manager.register(ReplicaSetReconciler.controller(manager, WORKERS));
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
