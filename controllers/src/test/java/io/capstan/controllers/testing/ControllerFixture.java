package io.capstan.controllers.testing;

import io.capstan.apiserver.testing.TestApiServer;
import io.capstan.controllers.runtime.ControllerManager;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * What a controller IT runs against: an in-process API server, a client of it and a started
 * {@link ControllerManager} holding what {@code setup} registered (controllers, informers; setup
 * may also create objects the controllers need at start). {@link #close()} stops them in reverse
 * order; a failed start closes what it had started.
 */
public final class ControllerFixture implements AutoCloseable {
  /** Registers controllers or informers on a manager that has not started yet. */
  @FunctionalInterface
  public interface Setup {
    void accept(ControllerManager manager) throws Exception;
  }

  public final TestApiServer server;
  public final KubernetesClient client;
  public final ControllerManager manager;

  private ControllerFixture(TestApiServer server, KubernetesClient client, ControllerManager manager) {
    this.server = server;
    this.client = client;
    this.manager = manager;
  }

  public static ControllerFixture start(Setup setup) throws Exception {
    TestApiServer server = TestApiServer.start();
    KubernetesClient client = null;
    ControllerManager manager = null;
    try {
      client = Clients.of(server);
      manager = new ControllerManager(client);
      setup.accept(manager);
      manager.start();
      return new ControllerFixture(server, client, manager);
    } catch (Exception | Error e) {
      if (manager != null) {
        manager.close();
      }
      if (client != null) {
        client.close();
      }
      server.close();
      throw e;
    }
  }

  @Override
  public void close() {
    manager.close();
    client.close();
    server.close();
  }
}
