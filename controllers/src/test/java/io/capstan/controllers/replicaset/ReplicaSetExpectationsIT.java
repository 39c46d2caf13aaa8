package io.capstan.controllers.replicaset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.runtime.Result;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.capstan.controllers.testing.ControllerFixture;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reconciler called while its pod cache lags behind its own writes. A stopped informer keeps
 * its store as it was: the worst lag there is. The expectations keep the reconciler from creating
 * the same replicas again until the cache has shown the first ones.
 */
class ReplicaSetExpectationsIT {
  static ControllerFixture fixture;
  static KubernetesClient client;
  static ControllerManager manager;

  @BeforeAll
  static void start() throws Exception {
    fixture = ControllerFixture.start(m -> m.informer(ReplicaSet.class));
    client = fixture.client;
    manager = fixture.manager;
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void whileTheCacheHasNotSeenTheNewPodsNoMoreAreCreated() throws Exception {
    String ns = Clients.namespace(client, "exp-create");
    SharedIndexInformer<Pod> frozen = client.pods().inAnyNamespace().runnableInformer(0);
    frozen.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
    frozen.stop();
    SharedIndexInformer<ReplicaSet> replicaSets = manager.informer(ReplicaSet.class);
    ReplicaSetReconciler reconciler = new ReplicaSetReconciler(client, replicaSets, frozen, Clock.systemUTC());

    client.apps().replicaSets().resource(ReplicaSetReconcilerIT.replicaSet(ns, "web", 3, "web")).create();
    Await.until("the cache has the ReplicaSet", () -> replicaSets.getStore().getByKey(ns + "/web") != null);
    Request key = new Request(ns, "web");
    reconciler.reconcile(key);
    assertEquals(3, client.pods().inNamespace(ns).list().getItems().size());
    for (int i = 0; i < 3; i++) {
      Result result = reconciler.reconcile(key);
      assertEquals(3, client.pods().inNamespace(ns).list().getItems().size(), "created twice");
      assertTrue(result.requeueAfter().toMinutes() >= 4, "falls back to the expectations' expiry: " + result);
    }
  }
}
