package io.capstan.controllers.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.testing.TestApiServer;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runtime against a real API server: ConfigMaps as the primary kind, Secrets owned by them,
 * a recording reconciler.
 */
class ControllerIT {
  static TestApiServer server;
  static KubernetesClient client;
  ControllerManager manager;
  SharedIndexInformer<ConfigMap> configMaps;
  final List<Request> calls = new CopyOnWriteArrayList<>();
  final Map<Request, AtomicInteger> counts = new ConcurrentHashMap<>();

  @BeforeAll
  static void startServer() {
    server = TestApiServer.start();
    client = Clients.of(server);
  }

  @AfterAll
  static void stopServer() {
    client.close();
    server.close();
  }

  @AfterEach
  void stopManager() {
    if (manager != null) {
      manager.close();
    }
  }

  /** A manager with one controller whose reconciler records each call then runs {@code body}. */
  Controller start(Reconciler body) throws Exception {
    manager = new ControllerManager(client);
    configMaps = manager.informer(ConfigMap.class);
    Controller controller = Controller.builder("test", request -> {
      calls.add(request);
      counts.computeIfAbsent(request, r -> new AtomicInteger()).incrementAndGet();
      return body.reconcile(request);
    }).workers(2).primary(configMaps).owns(manager.informer(Secret.class), ConfigMap.class).build();
    manager.register(controller).start();
    return controller;
  }

  int count(String ns, String name) {
    AtomicInteger n = counts.get(new Request(ns, name));
    return n == null ? 0 : n.get();
  }

  static ConfigMap configMap(String ns, String name, String value) {
    return new ConfigMapBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withData(Map.of("v", value)).build();
  }

  @Test
  void addUpdateAndDeleteOfThePrimaryEachReachTheReconcilerAsItsKey() throws Exception {
    String ns = Clients.namespace(client, "ctl-primary");
    Map<Request, String> seen = new ConcurrentHashMap<>();
    start(request -> {
      ConfigMap cm = configMaps.getStore().getByKey(request.cacheKey());
      seen.put(request, cm == null ? "<gone>" : cm.getData().get("v"));
      return Result.done();
    });
    Request key = new Request(ns, "a");
    client.configMaps().resource(configMap(ns, "a", "1")).create();
    Await.until("the add is reconciled", () -> "1".equals(seen.get(key)), seen::toString);
    client.configMaps().inNamespace(ns).withName("a").edit(cm -> configMap(ns, "a", "2"));
    Await.until("the update is reconciled", () -> "2".equals(seen.get(key)), seen::toString);
    client.configMaps().inNamespace(ns).withName("a").delete();
    Await.until("the delete is reconciled", () -> "<gone>".equals(seen.get(key)), seen::toString);
  }

  @Test
  void anOwnedObjectEnqueuesItsControllerOwnerOfTheRightKindOnly() throws Exception {
    String ns = Clients.namespace(client, "ctl-owned");
    start(request -> Result.done());
    Secret owned = new SecretBuilder().withNewMetadata().withNamespace(ns).withName("s1")
        .addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap").withName("owner").withUid("u-1")
        .withController(true).endOwnerReference().endMetadata().build();
    Secret otherKind = new SecretBuilder().withNewMetadata().withNamespace(ns).withName("s2")
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("rs").withUid("u-2")
        .withController(true).endOwnerReference().endMetadata().build();
    Secret notController = new SecretBuilder().withNewMetadata().withNamespace(ns).withName("s3")
        .addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap").withName("plain").withUid("u-3")
        .endOwnerReference().endMetadata().build();
    client.secrets().resource(otherKind).create();
    client.secrets().resource(notController).create();
    client.secrets().resource(owned).create();
    Await.until("the owner is reconciled", () -> count(ns, "owner") > 0, calls::toString);
    Await.sleep(Duration.ofMillis(300));
    Set<Request> inNamespace = Set.copyOf(calls.stream().filter(r -> r.namespace().equals(ns)).toList());
    assertEquals(Set.of(new Request(ns, "owner")), inNamespace);
  }

  @Test
  void failuresAreRetriedWithBackoffAndTerminalOnesAreNot() throws Exception {
    String ns = Clients.namespace(client, "ctl-errors");
    start(request -> {
      if (request.name().equals("terminal")) {
        throw new TerminalException("cannot be fixed");
      }
      if (request.name().equals("flaky") && count(ns, "flaky") <= 3) {
        throw new IllegalStateException("not yet");
      }
      return Result.done();
    });
    client.configMaps().resource(configMap(ns, "flaky", "1")).create();
    client.configMaps().resource(configMap(ns, "terminal", "1")).create();
    Await.until("flaky succeeds on its fourth try", () -> count(ns, "flaky") == 4, counts::toString);
    Await.until("terminal was tried", () -> count(ns, "terminal") == 1, counts::toString);
    Await.holds("no more calls", () -> count(ns, "flaky") == 4 && count(ns, "terminal") == 1,
        Duration.ofMillis(500), counts::toString);
  }

  @Test
  void requeueAfterCallsAgainWithoutAnyChange() throws Exception {
    String ns = Clients.namespace(client, "ctl-after");
    start(request -> count(ns, "timer") < 3 ? Result.requeueAfter(Duration.ofMillis(20)) : Result.done());
    client.configMaps().resource(configMap(ns, "timer", "1")).create();
    Await.until("three timed passes", () -> count(ns, "timer") == 3, counts::toString);
    Await.holds("then it stops", () -> count(ns, "timer") == 3, Duration.ofMillis(300), counts::toString);
  }

  @Test
  void aStoppedControllerReconcilesNothingAndCatchesUpWhenStartedAgain() throws Exception {
    String ns = Clients.namespace(client, "ctl-restart");
    Controller controller = start(request -> Result.done());
    assertTrue(controller.isRunning());
    controller.stop();
    assertFalse(controller.isRunning());
    client.configMaps().resource(configMap(ns, "while-stopped", "1")).create();
    Await.until("the cache has it", () -> manager.informer(ConfigMap.class).getStore().getByKey(ns + "/while-stopped") != null);
    Await.sleep(Duration.ofMillis(200));
    assertEquals(0, count(ns, "while-stopped"));
    controller.start();
    Await.until("caught up after restart", () -> count(ns, "while-stopped") > 0, counts::toString);
  }

  @Test
  void aManagerWithoutElectionLeadsAtOnceAndStopsOnClose() throws Exception {
    Controller controller = start(request -> Result.done());
    assertTrue(manager.isLeader());
    manager.close();
    assertFalse(manager.isLeader());
    assertFalse(controller.isRunning());
  }

  @Test
  void aControllerWithoutPrimaryTakesItsKeysFromResyncAndItsHooks() throws Exception {
    manager = new ControllerManager(client);
    AtomicInteger starts = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    Controller controller = Controller.builder("keys", request -> {
      calls.add(request);
      return Result.done();
    }).resync(() -> List.of(new Request("", "from-resync"))).onStart(starts::incrementAndGet)
        .closing(closed::incrementAndGet).build();
    manager.register(controller).start();
    Await.until("the resync key is reconciled", () -> calls.contains(new Request("", "from-resync")));
    controller.enqueue(new Request("", "pushed"));
    Await.until("an enqueued key is reconciled", () -> calls.contains(new Request("", "pushed")));
    controller.stop();
    calls.clear();
    controller.start();
    Await.until("a restart resyncs again", () -> calls.contains(new Request("", "from-resync")));
    assertEquals(2, starts.get());
    manager.close();
    assertEquals(1, closed.get(), "closeables close with the manager");
  }
}
