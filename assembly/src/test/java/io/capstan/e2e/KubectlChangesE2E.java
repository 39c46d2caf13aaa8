package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Changing existing objects with kubectl: client-side apply of changes, diff, edit, the three
 * patch types, label/annotate, scale, set image, rollout restart and server-side dry runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlChangesE2E {
  static CapstanServer server;
  static KubectlSession session;
  static Kubectl kubectl;
  static Path dir;


  @BeforeAll
  static void start() throws Exception {
    server = CapstanServer.start();
    session = new KubectlSession(server);
    kubectl = session.kubectl;
    dir = session.dir;
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  @Order(1)
  void clientSideApplyOfChangesRemovesListElementsAndFields() throws Exception {
    kubectl.run("apply", "-f", session.write("app.yaml", KubectlSession.DEPLOYMENT).toString()).ok();
    String changed = KubectlSession.DEPLOYMENT.replace("registry.local:5000/app:1", "registry.local:5000/app:2")
        .replaceAll("(?m)^ *- \\{name: B, value: \"2\"}\n", "")
        .replaceAll("(?m)^ *resources:\n *requests: \\{cpu: 100m}\n", "");
    assertFalse(changed.contains("name: B") || changed.contains("resources:"), changed);
    Kubectl.Result r = kubectl.run("apply", "-f", session.write("app.yaml", changed).toString()).ok();
    assertTrue(r.out().contains("deployment.apps/app configured"), r.out());
    assertEquals("registry.local:5000/app:2", session.get("deploy/app", "{.spec.template.spec.containers[0].image}"));
    assertEquals("A", session.get("deploy/app", "{.spec.template.spec.containers[0].env[*].name}"));
    assertEquals("", session.get("deploy/app", "{.spec.template.spec.containers[0].resources.requests}"));
    assertEquals("main side", session.get("deploy/app", "{.spec.template.spec.containers[*].name}"));
    assertEquals("2", session.get("deploy/app", "{.metadata.generation}"));
  }

  @Test
  @Order(2)
  void diffExitCodes() throws Exception {
    Path same = dir.resolve("app.yaml");
    assertEquals(0, kubectl.run("diff", "-f", same.toString()).code());
    Path other = session.write("other.yaml", Files.readString(same).replace("replicas: 2", "replicas: 5"));
    Kubectl.Result r = kubectl.run("diff", "-f", other.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.out().contains("replicas: 5"), r.out());
    assertEquals("2", session.get("deploy/app", "{.spec.replicas}"), "diff changes nothing");
  }

  @Test
  @Order(5)
  void patchesOfAllThreeTypes() throws Exception {
    kubectl.run("patch", "deploy/app", "--type=merge", "-p", "{\"metadata\":{\"labels\":{\"via\":\"merge\"}}}").ok();
    kubectl.run("patch", "deploy/app", "--type=json", "-p", "[{\"op\":\"add\",\"path\":\"/metadata/labels/json\",\"value\":\"yes\"}]").ok();
    kubectl.run("patch", "deploy/app", "-p",
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"side\",\"image\":\"registry.local:5000/side:2\"}]}}}}").ok();
    assertEquals("merge yes", session.get("deploy/app", "{.metadata.labels.via} {.metadata.labels.json}"));
    assertEquals("registry.local:5000/app:2 registry.local:5000/side:2",
        session.get("deploy/app", "{.spec.template.spec.containers[*].image}"), "strategic patch merged by name");
    Kubectl.Result bad = kubectl.run("patch", "deploy/app", "--type=json", "-p", "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":99}]");
    assertEquals(1, bad.code());
  }

  @Test
  @Order(6)
  void labelAnnotateScaleSetImageRolloutRestart() throws Exception {
    kubectl.run("label", "deploy/app", "tier=web").ok();
    assertEquals(1, kubectl.run("label", "deploy/app", "tier=db").code(), "needs --overwrite");
    kubectl.run("label", "deploy/app", "tier=db", "--overwrite").ok();
    kubectl.run("annotate", "deploy/app", "note=hello").ok();
    kubectl.run("annotate", "deploy/app", "note=bye", "--overwrite").ok();
    kubectl.run("scale", "deploy/app", "--replicas=4").ok();
    kubectl.run("set", "image", "deploy/app", "main=registry.local:5000/app:3").ok();
    kubectl.run("rollout", "restart", "deploy/app").ok();
    assertEquals("db bye 4 registry.local:5000/app:3", session.get("deploy/app",
        "{.metadata.labels.tier} {.metadata.annotations.note} {.spec.replicas} {.spec.template.spec.containers[0].image}"));
    assertFalse(session.get("deploy/app", "{.spec.template.metadata.annotations}").isEmpty(), "restartedAt set");
  }

  @Test
  @Order(7)
  void editWithNonInteractiveEditor() throws Exception {
    kubectl.run("create", "configmap", "edited", "--from-literal=greeting=hello").ok();
    Path editor = session.write("editor.sh", "#!/bin/sh\nsed -i 's/greeting: hello/greeting: salut/' \"$1\"\n");
    editor.toFile().setExecutable(true);
    kubectl.run(null, Map.of("EDITOR", editor.toString(), "KUBE_EDITOR", editor.toString()), "edit", "configmap/edited").ok();
    assertEquals("salut", session.get("cm/edited", "{.data.greeting}"));
  }

  @Test
  @Order(8)
  void serverDryRunsChangeNothing() throws Exception {
    String rv = session.get("deploy/app", "{.metadata.resourceVersion}");
    kubectl.run("scale", "deploy/app", "--replicas=9", "--dry-run=server").ok();
    kubectl.run("label", "deploy/app", "dry=run", "--dry-run=server").ok();
    kubectl.run("apply", "-f", dir.resolve("other.yaml").toString(), "--dry-run=server").ok();
    kubectl.run("delete", "deploy/app", "--dry-run=server").ok();
    kubectl.run("annotate", "deploy/app", "dry=run", "--dry-run=server").ok();
    kubectl.run("patch", "deploy/app", "--type=merge", "-p", "{\"spec\":{\"replicas\":7}}", "--dry-run=server").ok();
    kubectl.run("set", "image", "deploy/app", "main=registry.local:5000/app:dry", "--dry-run=server").ok();
    // kubectl 1.32's rollout restart and edit have no --dry-run flag.
    kubectl.run("apply", "--server-side", "--force-conflicts", "-f", dir.resolve("other.yaml").toString(),
        "--dry-run=server").ok();
    Path cm = session.write("dry.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dry\n  namespace: default\n");
    kubectl.run("create", "-f", cm.toString(), "--dry-run=server").ok();
    assertEquals(rv, session.get("deploy/app", "{.metadata.resourceVersion}"));
    assertEquals(1, kubectl.run("get", "cm", "dry").code());
  }
}
