package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
 * Everyday kubectl work against {@code capstan server}: the README's tour, in order, on one
 * server (a later step uses what an earlier one created).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlE2E {
  static CapstanServer server;
  static Kubectl kubectl;
  static Path manifests;

  @BeforeAll
  static void start() throws Exception {
    server = CapstanServer.start();
    kubectl = new Kubectl(server.kubeconfig());
    manifests = Path.of(System.getProperty("capstan.repo"), "manifests", "examples");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  @Order(1)
  void versionAndApiResources() throws Exception {
    String version = kubectl.run("version", "-o", "json").ok().out();
    assertTrue(version.contains("\"minor\": \"32\""), version);
    String resources = kubectl.run("api-resources").ok().out();
    for (String row : new String[] {"deployments", "deploy", "apps/v1", "configmaps", "cm", "namespaces", "ns", "leases",
        "endpointslices", "cronjobs", "cj", "persistentvolumeclaims", "pvc", "serviceaccounts", "sa"}) {
      assertTrue(resources.contains(row), "api-resources lists " + row + ":\n" + resources);
    }
    String ns = kubectl.run("get", "namespaces").ok().out();
    assertTrue(ns.contains("kube-system") && ns.contains("Active"), ns);
  }

  @Test
  @Order(2)
  void applyDirectoryWithDefaultValidation() throws Exception {
    Kubectl.Result r = kubectl.run("apply", "-f", manifests.toString()).ok();
    assertTrue(r.out().contains("namespace/demo created"), r.out());
    assertTrue(r.out().contains("deployment.apps/web created"), r.out());
    assertTrue(r.out().contains("service/web created"), r.out());
    assertTrue(r.out().contains("secret/web-secret created"), r.out());
    Kubectl.Result again = kubectl.run("apply", "-f", manifests.toString()).ok();
    assertTrue(again.out().contains("deployment.apps/web unchanged"), again.out());
    assertTrue(again.out().contains("configmap/web-config unchanged"), again.out());
  }

  @Test
  @Order(3)
  void getAsTableYamlJsonpathLabelsAllNamespaces() throws Exception {
    String table = kubectl.run("get", "deployments", "-n", "demo").ok().out();
    assertTrue(table.startsWith("NAME"), table);
    assertTrue(table.contains("UP-TO-DATE") && table.contains("web"), table);
    String wide = kubectl.run("get", "deployments", "-n", "demo", "-o", "wide").ok().out();
    assertTrue(wide.contains("IMAGES") && wide.contains("registry.local:5000/web:1.0"), wide);
    String yaml = kubectl.run("get", "deployment", "web", "-n", "demo", "-o", "yaml").ok().out();
    assertTrue(yaml.contains("kind: Deployment") && yaml.contains("uid:") && yaml.contains("resourceVersion:"), yaml);
    String image = kubectl.run("get", "deployment", "web", "-n", "demo", "-o",
        "jsonpath={.spec.template.spec.containers[0].image}").ok().out();
    assertEquals("registry.local:5000/web:1.0", image);
    String labelled = kubectl.run("get", "configmaps,secrets", "-A", "-l", "app=web").ok().out();
    assertTrue(labelled.contains("NAMESPACE") && labelled.contains("web-config") && labelled.contains("web-secret"), labelled);
    String all = kubectl.run("get", "all", "-n", "demo").ok().out();
    assertTrue(all.contains("deployment.apps/web") && all.contains("service/web"), all);
    String svc = kubectl.run("get", "svc", "web", "-n", "demo").ok().out();
    assertTrue(svc.contains("80/TCP"), svc);
  }

  @Test
  @Order(4)
  void explain() throws Exception {
    String out = kubectl.run("explain", "deployment.spec.strategy").ok().out();
    assertTrue(out.contains("KIND:") && out.contains("Deployment") && out.contains("rollingUpdate"), out);
    String pods = kubectl.run("explain", "pods.spec.containers").ok().out();
    assertTrue(pods.contains("image"), pods);
  }

  @Test
  @Order(5)
  void watchSeesAddedModifiedDeleted() throws Exception {
    Path out = Files.createTempFile("watch", ".txt");
    Process w = kubectl.start(out, "get", "configmaps", "-n", "demo", "-w", "--output-watch-events");
    try {
      waitFor(out, "web-config");
      kubectl.runWithInput("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\n  namespace: demo\n",
          "create", "-f", "-").ok();
      waitFor(out, "watched");
      kubectl.run("label", "configmap", "watched", "-n", "demo", "x=y").ok();
      kubectl.run("delete", "configmap", "watched", "-n", "demo").ok();
      String text = waitFor(out, "DELETED");
      assertTrue(text.contains("ADDED"), text);
      assertTrue(text.contains("MODIFIED"), text);
    } finally {
      w.destroy();
      w.waitFor();
      Files.deleteIfExists(out);
    }
  }

  @Test
  @Order(6)
  void typedCreateCommandsSendProtobuf() throws Exception {
    kubectl.run("create", "namespace", "typed").ok();
    kubectl.run("create", "configmap", "typed-cm", "-n", "typed", "--from-literal=greeting=hello").ok();
    kubectl.run("create", "secret", "generic", "typed-secret", "-n", "typed", "--from-literal=password=s3cret").ok();
    kubectl.run("create", "deployment", "typed-web", "-n", "typed", "--image=registry.local:5000/web:1.0", "--replicas=0").ok();
    assertEquals("hello", kubectl.run("get", "configmap", "typed-cm", "-n", "typed", "-o", "jsonpath={.data.greeting}").ok().out());
    assertEquals("czNjcmV0", kubectl.run("get", "secret", "typed-secret", "-n", "typed", "-o", "jsonpath={.data.password}").ok().out());
    assertEquals("0", kubectl.run("get", "deployment", "typed-web", "-n", "typed", "-o", "jsonpath={.spec.replicas}").ok().out());
    assertEquals("yes", kubectl.run("auth", "can-i", "create", "deployments", "-n", "typed").ok().out().trim());
    Kubectl.Result again = kubectl.run("create", "namespace", "typed");
    assertTrue(again.err().contains("AlreadyExists"), again.err());
    kubectl.run("delete", "namespace", "typed", "--wait=false").ok();
  }

  @Test
  @Order(6)
  void createTwiceIsAlreadyExists() throws Exception {
    Path f = Files.createTempFile("cm", ".yaml");
    Files.writeString(f, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: twice\n  namespace: demo\ndata:\n  a: b\n");
    kubectl.run("create", "-f", f.toString()).ok();
    Kubectl.Result r = kubectl.run("create", "-f", f.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("Error from server (AlreadyExists)") && r.err().contains("configmaps \"twice\" already exists"), r.err());
    Files.delete(f);
  }

  @Test
  @Order(7)
  void replaceWithStaleResourceVersionConflicts() throws Exception {
    String yaml = kubectl.run("get", "configmap", "twice", "-n", "demo", "-o", "yaml").ok().out();
    Path f = Files.createTempFile("cm", ".yaml");
    Files.writeString(f, yaml.replace("a: b", "a: c"));
    kubectl.run("replace", "-f", f.toString()).ok();
    Kubectl.Result stale = kubectl.run("replace", "-f", f.toString());
    assertEquals(1, stale.code());
    assertTrue(stale.err().contains("Error from server (Conflict)") && stale.err().contains("the object has been modified"), stale.err());
    Files.delete(f);
  }

  @Test
  @Order(8)
  void restartKeepsEverythingAndVersionsKeepIncreasing() throws Exception {
    String before = kubectl.run("get", "configmap", "twice", "-n", "demo", "-o", "jsonpath={.metadata.resourceVersion}").ok().out();
    String uid = kubectl.run("get", "deployment", "web", "-n", "demo", "-o", "jsonpath={.metadata.uid}").ok().out();
    server.restart();
    assertEquals(uid, kubectl.run("get", "deployment", "web", "-n", "demo", "-o", "jsonpath={.metadata.uid}").ok().out());
    assertEquals(before, kubectl.run("get", "configmap", "twice", "-n", "demo", "-o", "jsonpath={.metadata.resourceVersion}").ok().out());
    kubectl.run("label", "configmap", "twice", "-n", "demo", "after=restart").ok();
    String after = kubectl.run("get", "configmap", "twice", "-n", "demo", "-o", "jsonpath={.metadata.resourceVersion}").ok().out();
    assertTrue(Long.parseLong(after) > Long.parseLong(before), before + " -> " + after);
  }

  @Test
  @Order(9)
  void deleteFileRemovesEverything() throws Exception {
    Kubectl.Result r = kubectl.run("delete", "-f", manifests.toString(), "--wait=true", "--timeout=60s").ok();
    assertTrue(r.out().contains("namespace \"demo\" deleted"), r.out());
    Kubectl.Result gone = kubectl.run("get", "namespace", "demo");
    assertNotEquals(0, gone.code());
    assertTrue(gone.err().contains("NotFound"), gone.err());
  }

  private static String waitFor(Path file, String text) throws Exception {
    for (int i = 0; i < 200; i++) {
      String s = Files.readString(file);
      if (s.contains(text)) {
        return s;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("watch output never showed " + text + ":\n" + Files.readString(file));
  }
}
