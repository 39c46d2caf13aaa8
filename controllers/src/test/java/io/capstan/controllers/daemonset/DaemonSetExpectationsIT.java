package io.capstan.controllers.daemonset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.capstan.controllers.testing.ControllerFixture;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reconciler called while its pod cache lags behind its own writes (a stopped informer keeps
 * its store as it was): the expectations keep it from creating a second pod on a node.
 */
class DaemonSetExpectationsIT {
  static ControllerFixture fixture;
  static KubernetesClient client;
  static ControllerManager manager;

  @BeforeAll
  static void start() throws Exception {
    fixture = ControllerFixture.start(m -> {
      m.informer(DaemonSet.class);
      m.informer(Node.class);
      m.informer(ControllerRevision.class);
    });
    client = fixture.client;
    manager = fixture.manager;
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void whileTheCacheHasNotSeenTheNewPodsNoSecondPodIsCreatedOnANode() throws Exception {
    String ns = Clients.namespace(client, "ds-exp");
    DaemonSetReconcilerIT.node(client, ns + "-a", ns);
    DaemonSetReconcilerIT.node(client, ns + "-b", ns);
    SharedIndexInformer<Pod> frozen = client.pods().inAnyNamespace().runnableInformer(0);
    frozen.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
    frozen.stop();
    SharedIndexInformer<DaemonSet> daemonSets = manager.informer(DaemonSet.class);
    SharedIndexInformer<Node> nodes = manager.informer(Node.class);
    DaemonSetReconciler reconciler = new DaemonSetReconciler(client, daemonSets, frozen, nodes,
        manager.informer(ControllerRevision.class), Clock.systemUTC());

    client.apps().daemonSets().resource(DaemonSetReconcilerIT.daemonSet(ns, "agent")).create();
    Await.until("the caches have the DaemonSet and both nodes", () -> daemonSets.getStore().getByKey(ns + "/agent")
        != null && nodes.getStore().getByKey(ns + "-b") != null);
    Request key = new Request(ns, "agent");
    reconciler.reconcile(key);
    assertEquals(2, client.pods().inNamespace(ns).list().getItems().size());
    for (int i = 0; i < 3; i++) {
      reconciler.reconcile(key);
      assertEquals(2, client.pods().inNamespace(ns).list().getItems().size(), "created twice");
    }
  }
}
