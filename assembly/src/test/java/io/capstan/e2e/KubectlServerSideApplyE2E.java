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
  static KubectlSession session;
  static Kubectl kubectl;
  static Path dir;


  @BeforeAll
  static void start() throws Exception {
    server = CapstanServer.start();
    session = new KubectlSession(server);
    kubectl = session.kubectl;
    dir = session.dir;
    kubectl.run("apply", "-f", session.write("app.yaml", KubectlSession.DEPLOYMENT).toString()).ok();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  @Order(3)
  void serverSideApplyConflictsAndForce() throws Exception {
    // Another manager (kubectl-patch) changes replicas; a field still equal to the client-side
    // last-applied value would instead be taken over silently (kubectl's migration rule).
    kubectl.run("patch", "deploy/app", "--type=merge", "-p", "{\"spec\":{\"replicas\":4}}").ok();
    Path ssa = session.write("ssa.yaml", KubectlSession.DEPLOYMENT.replace("replicas: 2", "replicas: 3"));
    Kubectl.Result conflict = kubectl.run("apply", "--server-side", "-f", ssa.toString());
    assertEquals(1, conflict.code(), conflict.out());
    assertTrue(conflict.err().contains("conflict with \"kubectl-patch\"") && conflict.err().contains(".spec.replicas"),
        conflict.err());
    kubectl.run("apply", "--server-side", "--force-conflicts", "-f", ssa.toString()).ok();
    assertEquals("3", session.get("deploy/app", "{.spec.replicas}"));
    String rv = session.get("deploy/app", "{.metadata.resourceVersion}");
    Kubectl.Result again = kubectl.run("apply", "--server-side", "-f", ssa.toString()).ok();
    assertTrue(again.out().contains("serverside-applied"), again.out());
    assertEquals(rv, session.get("deploy/app", "{.metadata.resourceVersion}"), "a repeated apply converges: nothing written");
    String managers = session.get("deploy/app", "{.metadata.managedFields[*].manager}");
    assertTrue(managers.contains("kubectl"), managers);
  }

  @Test
  @Order(4)
  void serverSideApplyCreates() throws Exception {
    Path cm = session.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-cm\n  namespace: default\ndata:\n  a: b\n");
    kubectl.run("apply", "--server-side", "-f", cm.toString()).ok();
    assertEquals("b", session.get("cm/ssa-cm", "{.data.a}"));
    assertEquals("Apply", session.get("cm/ssa-cm", "{.metadata.managedFields[0].operation}"));
  }

  @Test
  @Order(5)
  void clientSideToServerSideMigrationConverges() throws Exception {
    Path cm = session.write("migrate.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: migrate\n  namespace: default\n"
        + "data:\n  a: b\n");
    kubectl.run("apply", "-f", cm.toString()).ok();
    kubectl.run("apply", "--server-side", "-f", cm.toString()).ok();
    String rv = session.get("cm/migrate", "{.metadata.resourceVersion}");
    String managed = session.get("cm/migrate", "{.metadata.managedFields}");
    kubectl.run("apply", "--server-side", "-f", cm.toString()).ok();
    assertEquals(rv, session.get("cm/migrate", "{.metadata.resourceVersion}"), "the second server-side apply writes nothing");
    assertEquals(managed, session.get("cm/migrate", "{.metadata.managedFields}"));
    assertTrue(managed.contains("\"manager\":\"kubectl\"") && managed.contains("\"operation\":\"Apply\""), managed);
  }
}
