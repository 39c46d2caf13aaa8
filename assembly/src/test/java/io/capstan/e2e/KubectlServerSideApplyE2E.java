package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * kubectl apply --server-side: creating, conflicts with the client-side apply manager, taking
 * ownership with --force-conflicts, and the client-side to server-side migration converging.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlServerSideApplyE2E {
  static CapstanServer server;
  static Kubectl kubectl;
  static Path dir;

  static final String DEPLOY = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: app
        namespace: default
      spec:
        replicas: 2
        selector:
          matchLabels: {app: app}
        template:
          metadata:
            labels: {app: app}
          spec:
            containers:
            - name: main
              image: registry.local:5000/app:1
              env:
              - {name: A, value: "1"}
              - {name: B, value: "2"}
              resources:
                requests: {cpu: 100m}
            - name: side
              image: registry.local:5000/side:1
      """;

  @BeforeAll
  static void start() throws Exception {
    server = CapstanServer.start();
    kubectl = new Kubectl(server.kubeconfig());
    dir = Files.createTempDirectory("capstan-e2e-ssa-");
    kubectl.run("apply", "-f", write("app.yaml", DEPLOY).toString()).ok();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static Path write(String name, String yaml) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, yaml);
    return f;
  }

  static String get(String resource, String jsonpath) throws Exception {
    return kubectl.run("get", resource, "-o", "jsonpath=" + jsonpath).ok().out();
  }

  @Test
  @Order(3)
  void serverSideApplyConflictsAndForce() throws Exception {
    // Another manager (kubectl-patch) changes replicas; a field still equal to the client-side
    // last-applied value would instead be taken over silently (kubectl's migration rule).
    kubectl.run("patch", "deploy/app", "--type=merge", "-p", "{\"spec\":{\"replicas\":4}}").ok();
    Path ssa = write("ssa.yaml", DEPLOY.replace("replicas: 2", "replicas: 3"));
    Kubectl.Result conflict = kubectl.run("apply", "--server-side", "-f", ssa.toString());
    assertEquals(1, conflict.code(), conflict.out());
    assertTrue(conflict.err().contains("conflict with \"kubectl-patch\"") && conflict.err().contains(".spec.replicas"),
        conflict.err());
    kubectl.run("apply", "--server-side", "--force-conflicts", "-f", ssa.toString()).ok();
    assertEquals("3", get("deploy/app", "{.spec.replicas}"));
    String rv = get("deploy/app", "{.metadata.resourceVersion}");
    Kubectl.Result again = kubectl.run("apply", "--server-side", "-f", ssa.toString()).ok();
    assertTrue(again.out().contains("serverside-applied"), again.out());
    assertEquals(rv, get("deploy/app", "{.metadata.resourceVersion}"), "a repeated apply converges: nothing written");
    String managers = get("deploy/app", "{.metadata.managedFields[*].manager}");
    assertTrue(managers.contains("kubectl"), managers);
  }

  @Test
  @Order(4)
  void serverSideApplyCreates() throws Exception {
    Path cm = write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-cm\n  namespace: default\ndata:\n  a: b\n");
    kubectl.run("apply", "--server-side", "-f", cm.toString()).ok();
    assertEquals("b", get("cm/ssa-cm", "{.data.a}"));
    assertEquals("Apply", get("cm/ssa-cm", "{.metadata.managedFields[0].operation}"));
  }

  @Test
  @Order(5)
  void clientSideToServerSideMigrationConverges() throws Exception {
    Path cm = write("migrate.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: migrate\n  namespace: default\n"
        + "data:\n  a: b\n");
    kubectl.run("apply", "-f", cm.toString()).ok();
    kubectl.run("apply", "--server-side", "-f", cm.toString()).ok();
    String rv = get("cm/migrate", "{.metadata.resourceVersion}");
    String managed = get("cm/migrate", "{.metadata.managedFields}");
    kubectl.run("apply", "--server-side", "-f", cm.toString()).ok();
    assertEquals(rv, get("cm/migrate", "{.metadata.resourceVersion}"), "the second server-side apply writes nothing");
    assertEquals(managed, get("cm/migrate", "{.metadata.managedFields}"));
    assertTrue(managed.contains("\"manager\":\"kubectl\"") && managed.contains("\"operation\":\"Apply\""), managed);
  }
}
