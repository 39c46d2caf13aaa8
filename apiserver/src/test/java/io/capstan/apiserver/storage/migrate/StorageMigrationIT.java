package io.capstan.apiserver.storage.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.storage.KeyValue;
import io.capstan.apiserver.storage.Storage;
import io.capstan.apiserver.storage.StorageException;
import io.capstan.apiserver.storage.StorageFactory;
import io.capstan.apiserver.testing.EtcdProcess;
import io.capstan.apiserver.testing.Http;
import io.capstan.apiserver.testing.TestApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Migration of a populated SQLite store (namespaces, configmaps, pods, a CRD and custom resources
 * written through the API) to a real etcd: every key arrives with the same bytes, the source is
 * unchanged, an API server on etcd serves the objects; bad input fails with a clear message.
 */
class StorageMigrationIT {
  private static EtcdProcess etcd;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    etcd = EtcdProcess.start();
    dir = Files.createTempDirectory("capstan-migrate-");
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      etcd.close();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void populate(Http http) {
    post(http, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"widgets.example.com"},
         "spec":{"group":"example.com","scope":"Namespaced",
           "names":{"plural":"widgets","singular":"widget","kind":"Widget","listKind":"WidgetList"},
           "versions":[{"name":"v1","served":true,"storage":true,
             "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}""");
    for (int n = 0; n < 3; n++) {
      String ns = "m" + n;
      post(http, "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}");
      for (int i = 0; i < 40; i++) {
        post(http, "/api/v1/namespaces/" + ns + "/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
            + "\"metadata\":{\"name\":\"cm" + i + "\",\"labels\":{\"i\":\"" + i + "\"}},\"data\":{\"k\":\"v" + i + "\"}}");
      }
      for (int i = 0; i < 10; i++) {
        post(http, "/api/v1/namespaces/" + ns + "/pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p" + i
            + "\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");
      }
    }
    // the CRD becomes served asynchronously: retry the first custom resource until it is accepted
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String widget = "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w%d\"},\"spec\":{\"size\":%d}}";
    while (http.post("/apis/example.com/v1/namespaces/m0/widgets", widget.formatted(0, 0)).code() != 201) {
      assertTrue(System.nanoTime() < deadline, "CRD never became served");
      sleep(100);
    }
    for (int i = 1; i < 5; i++) {
      post(http, "/apis/example.com/v1/namespaces/m0/widgets", widget.formatted(i, i));
    }
  }

  private static void post(Http http, String path, String body) {
    Http.Answer a = http.post(path, body);
    assertEquals(201, a.code(), () -> path + ": " + a.body());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static List<KeyValue> all(Storage s) {
    return new ArrayList<>(s.list("", null, 0, 0).items());
  }

  @Test
  void copiesEveryObjectAndAnApiServerOnEtcdServesThem() {
    String from = "sqlite:" + dir.resolve("src");
    try (TestApiServer sqlite = TestApiServer.start(from)) {
      populate(new Http(sqlite.url()));
    }
    List<KeyValue> before;
    long sourceRevision;
    try (Storage s = StorageFactory.open(from)) {
      before = all(s);
      sourceRevision = s.currentRevision();
    }
    assertTrue(before.size() > 150, "populated " + before.size());

    String to = etcd.storageUrl() + "/capstan";
    StorageMigration.Result r = StorageMigration.migrate(from, to, false, Duration.ofSeconds(10));
    assertEquals(before.size(), r.copied());

    try (Storage s = StorageFactory.open(from)) {
      assertEquals(before, all(s), "source changed");
      assertEquals(sourceRevision, s.currentRevision());
    }
    try (Storage t = StorageFactory.open(to)) {
      List<KeyValue> after = all(t);
      assertEquals(before.stream().map(KeyValue::key).toList(), after.stream().map(KeyValue::key).toList());
      for (int i = 0; i < before.size(); i++) {
        assertEquals(new String(before.get(i).value()), new String(after.get(i).value()), before.get(i).key());
      }
    }

    // a second migration into the now non-empty target is refused without --force, allowed with it
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StorageMigration.migrate(from, to, false, Duration.ofSeconds(10)));
    assertTrue(e.getMessage().contains("--force"), e.getMessage());
    assertEquals(before.size(), StorageMigration.migrate(from, to, true, Duration.ofSeconds(10)).copied());

    try (TestApiServer onEtcd = TestApiServer.start(to)) {
      Http http = new Http(onEtcd.url());
      var cms = http.get("/api/v1/namespaces/m1/configmaps").json().get("items");
      assertEquals(40, cms.size());
      assertEquals("v7", http.get("/api/v1/namespaces/m2/configmaps/cm7").json().at("/data/k").asText());
      assertEquals(10, http.get("/api/v1/namespaces/m0/pods").json().get("items").size());
      assertEquals(200, http.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com").code());
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      Http.Answer w;
      while ((w = http.get("/apis/example.com/v1/namespaces/m0/widgets/w3")).code() != 200) {
        assertTrue(System.nanoTime() < deadline, "custom resource not served: " + w.body());
        sleep(100);
      }
      assertEquals(3, w.json().at("/spec/size").asInt());
      assertEquals(5, http.get("/apis/example.com/v1/namespaces/m0/widgets").json().get("items").size());
    }
  }

  @Test
  void badInputFailsWithAClearMessage() {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> StorageMigration.migrate(
        "sqlite:" + dir.resolve("does-not-exist"), etcd.storageUrl() + "/x", false, Duration.ofSeconds(5)));
    assertTrue(missing.getMessage().contains("no capstan SQLite store"), missing.getMessage());
    assertTrue(!Files.exists(dir.resolve("does-not-exist")), "a missing source must not be created");

    String from = "sqlite:" + dir.resolve("small");
    try (Storage s = StorageFactory.open(from)) {
      s.create("/registry/configmaps/default/a", "{}".getBytes(), 0);
    }
    StorageException down = assertThrows(StorageException.class,
        () -> StorageMigration.migrate(from, "etcd://127.0.0.1:1", false, Duration.ofSeconds(2)));
    assertTrue(down.getMessage().contains("unreachable"), down.getMessage());

    assertThrows(IllegalArgumentException.class,
        () -> StorageMigration.migrate(from, "mysql://x", false, Duration.ofSeconds(2)));
  }
}
