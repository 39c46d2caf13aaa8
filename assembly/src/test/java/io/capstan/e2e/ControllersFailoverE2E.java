package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Two {@code capstan controllers} processes against one {@code capstan apiserver}: one leads; when
 * it is killed (SIGKILL, so it cannot give the Lease back) the other takes over once the Lease
 * expires, and the ReplicaSet keeps exactly its replicas throughout.
 */
class ControllersFailoverE2E {
  private static final Predicate<String> LEADING = line -> line.contains("leading identity=");
  private static final Predicate<String> STARTED = line -> line.contains("started controller=");
  /** The default Lease duration (LeaderElection.defaults()). */
  private static final Duration LEASE = Duration.ofSeconds(15);

  @Test
  void whenTheLeaderIsKilledTheOtherTakesOverWithoutDuplicatingWork() throws Exception {
    Path dir = Files.createTempDirectory("capstan-failover-");
    int port = CapstanServer.freePort();
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: capstan, cluster: {server: "http://127.0.0.1:%d"}}]
        users: [{name: admin, user: {}}]
        contexts: [{name: capstan, context: {cluster: capstan, user: admin}}]
        current-context: capstan
        """.formatted(port));
    try (CapstanProcess api = CapstanProcess.start("apiserver", "--storage", "sqlite:" + dir.resolve("db"),
            "--listen", "127.0.0.1:" + port);
        AutoCloseable cleanup = () -> deleteTree(dir)) {
      api.awaitLine(line -> line.startsWith("capstan apiserver listening on"), Duration.ofSeconds(60));
      try (CapstanProcess a = CapstanProcess.start("controllers", "--kubeconfig", kubeconfig.toString());
          CapstanProcess b = CapstanProcess.start("controllers", "--kubeconfig", kubeconfig.toString())) {
        Kubectl kubectl = new Kubectl(kubeconfig);
        CapstanProcess leader = awaitLeader(a, b);
        CapstanProcess follower = leader == a ? b : a;
        String leaderIdentity = identity(leader.awaitLine(LEADING, Duration.ofSeconds(1)));

        kubectl.runWithInput("""
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata: {name: web, namespace: default}
            spec:
              replicas: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: "registry.local:5000/web:1"}]
            """, "apply", "-f", "-").ok();
        awaitPods(kubectl, 3);
        assertFalse(follower.printed(STARTED), "the follower ran controllers while the leader held the Lease:\n"
            + follower.output());

        String renewedBefore = lease(kubectl, "renewTime");
        leader.kill();
        String takeover = follower.awaitLine(LEADING, LEASE.plus(Duration.ofSeconds(45)));
        String followerIdentity = identity(takeover);
        assertNotEquals(leaderIdentity, followerIdentity);
        assertEquals(followerIdentity, lease(kubectl, "holderIdentity"));
        // No split brain: the Lease is taken only once the dead leader's last renewal has lapsed.
        Instant lastRenewal = Instant.parse(renewedBefore);
        Instant acquired = Instant.parse(lease(kubectl, "acquireTime"));
        assertFalse(acquired.isBefore(lastRenewal.plus(LEASE)),
            "lease taken at " + acquired + ", but the dead leader renewed it at " + lastRenewal);
        System.out.printf("failover: lease taken %d ms after the dead leader's last observed renewal%n",
            Duration.between(lastRenewal, acquired).toMillis());

        // The new leader finds the world converged and does not create anything again...
        awaitPods(kubectl, 3);
        // ...and acts on a change.
        kubectl.run("scale", "rs/web", "--replicas=5").ok();
        awaitPods(kubectl, 5);
      }
    }
  }

  /** Waits until one of the two leads and returns it. */
  private static CapstanProcess awaitLeader(CapstanProcess a, CapstanProcess b) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (a.printed(LEADING)) {
        return a;
      }
      if (b.printed(LEADING)) {
        return b;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("nobody leads:\n" + a.output() + "\n---\n" + b.output());
  }

  private static String identity(String line) {
    String rest = line.substring(line.indexOf("leading identity=") + "leading identity=".length());
    int space = rest.indexOf(' ');
    return space < 0 ? rest : rest.substring(0, space);
  }

  private static String lease(Kubectl kubectl, String field) throws Exception {
    return kubectl.run("get", "lease", "-n", "kube-system", "capstan-controllers", "-o",
        "jsonpath={.spec." + field + "}").ok().out().trim();
  }

  /** Waits for exactly {@code want} pods of app=web, then checks the count holds for 2 s. */
  private static void awaitPods(Kubectl kubectl, int want) throws Exception {
    int seen = -1;
    for (int i = 0; i < 300 && seen != want; i++) {
      seen = count(kubectl);
      if (seen != want) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
    assertEquals(want, seen, "pods of app=web");
    for (int i = 0; i < 10; i++) {
      TimeUnit.MILLISECONDS.sleep(200);
      assertEquals(want, count(kubectl), "pods of app=web once converged");
    }
  }

  private static int count(Kubectl kubectl) throws Exception {
    String names = kubectl.run("get", "pods", "-l", "app=web", "-o", "name").ok().out().trim();
    return names.isEmpty() ? 0 : names.split("\n").length;
  }

  private static void deleteTree(Path dir) throws Exception {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
