package io.capstan.controllers.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.replicaset.ReplicaSetReconciler;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.capstan.controllers.testing.ControllerFixture;
import io.capstan.controllers.testing.DelayedKubelet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real kubectl's {@code rollout} commands against Deployments run by the controllers. */
class KubectlRolloutIT {
  static ControllerFixture fixture;
  static KubernetesClient client;
  static DelayedKubelet kubelet;
  static Path home;
  static Path kubeconfig;

  record Run(int code, String out, String err) {
    Run ok() {
      assertEquals(0, code, "kubectl failed: " + err + out);
      return this;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    fixture = ControllerFixture.start(m -> m.register(ReplicaSetReconciler.controller(m, 2))
        .register(DeploymentReconciler.controller(m, 2)));
    client = fixture.client;
    kubelet = new DelayedKubelet(client, Duration.ofMillis(100));
    home = Files.createTempDirectory("capstan-kubectl-rollout-");
    kubeconfig = home.resolve("kubeconfig");
    Files.writeString(kubeconfig, String.join("\n", "apiVersion: v1", "kind: Config",
        "clusters:", "- name: capstan", "  cluster:", "    server: " + fixture.server.url(),
        "users:", "- name: test", "  user: {}",
        "contexts:", "- name: capstan", "  context:", "    cluster: capstan", "    user: test",
        "current-context: capstan", ""));
  }

  @AfterAll
  static void stop() throws IOException {
    kubelet.close();
    fixture.close();
    try (Stream<Path> files = Files.walk(home)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static Run kubectl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
        "--cache-dir", home.resolve("cache").toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(home, "out", ".txt");
    Path err = Files.createTempFile(home, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("HOME", home.toString());
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish");
    }
    Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return r;
  }

  static Deployment get(String ns) {
    return client.apps().deployments().inNamespace(ns).withName("web").get();
  }

  static String image(String ns) {
    return get(ns).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  static String revision(Deployment d) {
    return d.getMetadata().getAnnotations() == null ? null
        : d.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision");
  }

  static void create(String ns) {
    client.apps().deployments().resource(DeploymentReconcilerIT.deployment(ns, "web", 2, "nginx:1")).create();
  }

  @Test
  void statusWaitsForTheRolloutAndHistoryAndUndoFollowRevisions() throws Exception {
    String ns = Clients.namespace(client, "kubectl-history");
    create(ns);
    Run status = kubectl("-n", ns, "rollout", "status", "deployment/web", "--timeout=30s").ok();
    assertTrue(status.out().contains("successfully rolled out"), status.out());
    assertTrue(DeploymentReconcilerIT.rolledOut(get(ns)));

    kubectl("-n", ns, "set", "image", "deployment/web", "c=nginx:2").ok();
    kubectl("-n", ns, "annotate", "deployment/web", "kubernetes.io/change-cause=move to nginx 2").ok();
    kubectl("-n", ns, "rollout", "status", "deployment/web", "--timeout=30s").ok();
    Await.until("revision 2", () -> "2".equals(revision(get(ns))));
    Run history = kubectl("-n", ns, "rollout", "history", "deployment/web").ok();
    assertTrue(history.out().contains("1 ") && history.out().contains("2 "), history.out());
    assertTrue(history.out().contains("move to nginx 2"), history.out());
    Run one = kubectl("-n", ns, "rollout", "history", "deployment/web", "--revision=1").ok();
    assertTrue(one.out().contains("nginx:1"), one.out());

    kubectl("-n", ns, "rollout", "undo", "deployment/web").ok();
    assertEquals("nginx:1", image(ns));
    kubectl("-n", ns, "rollout", "status", "deployment/web", "--timeout=30s").ok();
    Await.until("the undo is revision 3", () -> "3".equals(revision(get(ns))));
    ReplicaSet first = client.apps().replicaSets().inNamespace(ns).list().getItems().stream()
        .filter(rs -> "nginx:1".equals(rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()))
        .findFirst().orElseThrow();
    assertEquals("3", first.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));
    assertEquals("1", first.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision-history"));
    assertEquals(2, client.apps().replicaSets().inNamespace(ns).list().getItems().size(), "undo reuses the old ReplicaSet");

    kubectl("-n", ns, "rollout", "undo", "deployment/web", "--to-revision=2").ok();
    assertEquals("nginx:2", image(ns));
    kubectl("-n", ns, "rollout", "status", "deployment/web", "--timeout=30s").ok();
  }

  @Test
  void pauseResumeAndRestart() throws Exception {
    String ns = Clients.namespace(client, "kubectl-pause");
    create(ns);
    kubectl("-n", ns, "rollout", "status", "deployment/web", "--timeout=30s").ok();
    kubectl("-n", ns, "rollout", "pause", "deployment/web").ok();
    assertEquals(Boolean.TRUE, get(ns).getSpec().getPaused());
    Await.until("paused is shown", () -> {
      DeploymentCondition c = DeploymentReconcilerIT.condition(get(ns), "Progressing");
      return c != null && "DeploymentPaused".equals(c.getReason());
    });
    kubectl("-n", ns, "set", "image", "deployment/web", "c=nginx:2").ok();
    Await.holds("no rollout while paused", () -> client.apps().replicaSets().inNamespace(ns).list().getItems().size() == 1,
        Duration.ofSeconds(2), () -> "");
    kubectl("-n", ns, "rollout", "resume", "deployment/web").ok();
    assertTrue(get(ns).getSpec().getPaused() == null || !get(ns).getSpec().getPaused());
    kubectl("-n", ns, "rollout", "status", "deployment/web", "--timeout=30s").ok();
    assertEquals(2, client.apps().replicaSets().inNamespace(ns).list().getItems().size());

    kubectl("-n", ns, "rollout", "restart", "deployment/web").ok();
    assertNotNull(get(ns).getSpec().getTemplate().getMetadata().getAnnotations().get("kubectl.kubernetes.io/restartedAt"));
    kubectl("-n", ns, "rollout", "status", "deployment/web", "--timeout=30s").ok();
    Await.until("a third ReplicaSet runs the restarted pods",
        () -> client.apps().replicaSets().inNamespace(ns).list().getItems().size() == 3 && client.pods().inNamespace(ns)
            .list().getItems().stream().allMatch(p -> p.getMetadata().getAnnotations() != null
                && p.getMetadata().getAnnotations().containsKey("kubectl.kubernetes.io/restartedAt")));
  }

  @Test
  void statusFailsOnceTheProgressDeadlineIsExceeded() throws Exception {
    String ns = Clients.namespace(client, "kubectl-deadline");
    client.apps().deployments().resource(new DeploymentBuilder(
        DeploymentReconcilerIT.deployment(ns, "web", 1, "nginx:1")).editSpec().withProgressDeadlineSeconds(1)
        .editTemplate().editMetadata().addToLabels(DelayedKubelet.IGNORE_LABEL, "ignore").endMetadata().endTemplate()
        .endSpec().build()).create();
    Run status = kubectl("-n", ns, "rollout", "status", "deployment/web", "--timeout=30s");
    assertEquals(1, status.code(), status.out() + status.err());
    assertTrue(status.err().contains("exceeded its progress deadline"), status.err());
  }
}
