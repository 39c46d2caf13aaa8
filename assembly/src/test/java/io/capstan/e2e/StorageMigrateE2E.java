package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.storage.KeyValue;
import io.capstan.apiserver.storage.Storage;
import io.capstan.apiserver.storage.StorageFactory;
import io.capstan.apiserver.testing.EtcdProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code capstan storage migrate} of the packaged binary: a SQLite store into a real etcd, and bad input. */
class StorageMigrateE2E {
  @TempDir
  Path dir;

  private record Run(int code, String out, String err) {}

  @Test
  void migratesASqliteStoreIntoEtcdAndRejectsBadInput() throws Exception {
    String from = "sqlite:" + dir.resolve("store");
    List<KeyValue> source;
    try (Storage s = StorageFactory.open(from)) {
      for (int i = 0; i < 30; i++) {
        s.create("/registry/configmaps/default/cm" + i, ("{\"data\":{\"i\":\"" + i + "\"}}").getBytes(StandardCharsets.UTF_8), 0);
      }
      source = s.list("", null, 0, 0).items();
    }
    try (EtcdProcess etcd = EtcdProcess.start()) {
      String to = etcd.storageUrl() + "/capstan";
      Run ok = capstan("storage", "migrate", "--from", from, "--to", to);
      assertEquals(0, ok.code(), ok.toString());
      assertTrue(ok.out().startsWith("copied 30 keys from " + from), ok.out());
      try (Storage t = StorageFactory.open(to)) {
        List<KeyValue> copied = t.list("", null, 0, 0).items();
        assertEquals(source.size(), copied.size());
        for (int i = 0; i < source.size(); i++) {
          assertEquals(source.get(i).key(), copied.get(i).key());
          assertEquals(new String(source.get(i).value()), new String(copied.get(i).value()));
        }
      }
      Run again = capstan("storage", "migrate", "--from", from, "--to", to);
      assertEquals(2, again.code(), again.toString());
      assertTrue(again.err().strip().contains("already holds 30 keys") && again.err().strip().lines().count() == 1, again.err());
      Run forced = capstan("storage", "migrate", "--from", from, "--to", to, "--force");
      assertEquals(0, forced.code(), forced.toString());

      Run missing = capstan("storage", "migrate", "--from", "sqlite:" + dir.resolve("nope"), "--to", to);
      assertEquals(2, missing.code(), missing.toString());
      assertTrue(missing.err().strip().startsWith("capstan: no capstan SQLite store at"), missing.err());
    }
    Run badFlag = capstan("storage", "migrate", "--form", from);
    assertEquals(2, badFlag.code(), badFlag.toString());
    assertEquals("capstan: unknown flag --form", badFlag.err().strip());
    Run noTo = capstan("storage", "migrate", "--from", from);
    assertEquals(2, noTo.code(), noTo.toString());
    assertEquals(1, noTo.err().strip().lines().count(), noTo.err());
    Run down = capstan("storage", "migrate", "--from", from, "--to", "etcd://127.0.0.1:1", "--connect-timeout", "1s");
    assertEquals(1, down.code(), down.toString());
    assertTrue(down.err().strip().lines().reduce((a, b) -> b).orElse("").contains("unreachable"), down.err());
  }

  private static Run capstan(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-jar", System.getProperty("capstan.jar")));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    String out = read(p.getInputStream());
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new IllegalStateException("capstan " + String.join(" ", args) + " did not finish");
    }
    return new Run(p.exitValue(), out, err.join());
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
