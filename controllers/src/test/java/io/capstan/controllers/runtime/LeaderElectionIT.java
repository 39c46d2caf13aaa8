package io.capstan.controllers.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.testing.TestApiServer;
import io.capstan.controllers.replicaset.ReplicaSetReconciler;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.capstan.controllers.testing.Edits;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two controllers processes (two managers, two clients) against one API server, competing for one
 * Lease with short timings: only the holder reconciles, and the other takes over when it goes.
 */
class LeaderElectionIT {
  static final String LEASE = "capstan-controllers-it";

  TestApiServer server;
  KubernetesClient admin;
  final List<Candidate> candidates = new ArrayList<>();

  /** One controllers process: its own client, manager, and a count of reconcile calls. */
  record Candidate(String identity, KubernetesClient client, ControllerManager manager, AtomicInteger reconciles) {}

  @BeforeEach
  void startServer() {
    server = TestApiServer.start();
    admin = Clients.of(server);
  }

  @AfterEach
  void stopAll() {
    candidates.forEach(c -> {
      c.manager().close();
      c.client().close();
    });
    admin.close();
    server.close();
  }

  Candidate candidate(String identity) throws Exception {
    KubernetesClient client = Clients.of(server);
    LeaderElection election = new LeaderElection(LeaderElection.DEFAULT_NAMESPACE, LEASE, identity,
        Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(300));
    ControllerManager manager = new ControllerManager(client, election);
    AtomicInteger reconciles = new AtomicInteger();
    ReplicaSetReconciler rs = new ReplicaSetReconciler(client, manager.informer(ReplicaSet.class),
        manager.informer(Pod.class), Clock.systemUTC());
    manager.register(Controller.builder("replicaset", request -> {
      reconciles.incrementAndGet();
      return rs.reconcile(request);
    }).workers(2).primary(manager.informer(ReplicaSet.class)).owns(manager.informer(Pod.class), ReplicaSet.class)
        .watches(manager.informer(Pod.class), rs::adopters).build());
    manager.start();
    Candidate c = new Candidate(identity, client, manager, reconciles);
    candidates.add(c);
    return c;
  }

  String holder() {
    Lease lease = admin.resources(Lease.class).inNamespace(LeaderElection.DEFAULT_NAMESPACE).withName(LEASE).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** Writes "thief" as the holder of a long lease; false when the write lost a race. */
  boolean steal() {
    Lease lease = admin.resources(Lease.class).inNamespace(LeaderElection.DEFAULT_NAMESPACE).withName(LEASE).get();
    ZonedDateTime now = ZonedDateTime.now().truncatedTo(ChronoUnit.MICROS);
    try {
      admin.resources(Lease.class).resource(new LeaseBuilder(lease).editSpec().withHolderIdentity("thief")
          .withLeaseDurationSeconds(3600).withAcquireTime(now).withRenewTime(now).endSpec().build()).update();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      return false;
    }
  }

  int pods(String ns) {
    return admin.pods().inNamespace(ns).list().getItems().size();
  }

  static ReplicaSet replicaSet(String ns, int replicas) {
    return new ReplicaSetBuilder().withNewMetadata().withNamespace(ns).withName("web").endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  @Test
  void onlyTheLeaseHolderReconcilesAndTheOtherTakesOverWhenItLeaves() throws Exception {
    Candidate a = candidate("candidate-a");
    Candidate b = candidate("candidate-b");
    Await.until("one candidate leads", () -> a.manager().isLeader() || b.manager().isLeader());
    Candidate leader = a.manager().isLeader() ? a : b;
    Candidate follower = leader == a ? b : a;
    Await.until("the Lease names the leader", () -> leader.identity().equals(holder()), this::holder);
    assertFalse(follower.manager().isLeader());

    String ns = Clients.namespace(admin, "le");
    admin.apps().replicaSets().resource(replicaSet(ns, 3)).create();
    Await.until("3 pods", () -> pods(ns) == 3, () -> "pods " + pods(ns));
    Await.holds("exactly 3 pods, reconciled by the leader only",
        () -> pods(ns) == 3 && follower.reconciles().get() == 0 && !follower.manager().isLeader(),
        Duration.ofSeconds(4), () -> "pods " + pods(ns) + ", follower reconciles " + follower.reconciles());
    assertTrue(leader.reconciles().get() > 0);

    // The leader leaves (releasing the Lease); the follower takes over and acts on a change.
    leader.manager().close();
    assertFalse(leader.manager().isLeader());
    Await.until("the follower leads", () -> follower.manager().isLeader() && follower.identity().equals(holder()),
        this::holder);
    Edits.retrying(() -> admin.apps().replicaSets().inNamespace(ns).withName("web")
        .edit(rs -> new ReplicaSetBuilder(rs).editSpec().withReplicas(4).endSpec().build()));
    Await.until("4 pods", () -> pods(ns) == 4, () -> "pods " + pods(ns));
    Await.holds("exactly 4 pods", () -> pods(ns) == 4, Duration.ofSeconds(2), () -> "pods " + pods(ns));
    assertTrue(follower.reconciles().get() > 0);
  }

  @Test
  void aLeaderThatLosesItsLeaseStopsItsWorkers() throws Exception {
    Candidate a = candidate("candidate-a");
    Await.until("a leads", () -> a.manager().isLeader() && "candidate-a".equals(holder()), this::holder);

    // Someone else takes the Lease (as after a partition in which a could not renew in time).
    // The leader renews every 300 ms: retry on a conflict with its renewal.
    Await.until("the Lease is taken", this::steal);
    Await.until("a stops leading", () -> !a.manager().isLeader());

    String ns = Clients.namespace(admin, "le-lost");
    int before = a.reconciles().get();
    admin.apps().replicaSets().resource(replicaSet(ns, 2)).create();
    Await.holds("nothing is reconciled without the Lease", () -> pods(ns) == 0 && a.reconciles().get() == before,
        Duration.ofSeconds(2), () -> "pods " + pods(ns));
    assertNotEquals("candidate-a", holder());
    assertEquals("thief", holder());
  }
}
