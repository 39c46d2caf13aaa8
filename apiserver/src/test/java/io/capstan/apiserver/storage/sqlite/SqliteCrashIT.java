package io.capstan.apiserver.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.storage.KeyValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kills a writing JVM with SIGKILL and checks that every write it acknowledged survived, with its
 * revision, and that revisions continue above them.
 */
class SqliteCrashIT {
  private static final int ACKS_BEFORE_KILL = 2000;

  private Path dir;
  private Process child;

  @AfterEach
  void cleanUp() throws IOException, InterruptedException {
    if (child != null && child.isAlive()) {
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Test
  void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
    dir = Files.createTempDirectory("capstan-crash");
    Path stderr = dir.resolve("child-stderr.txt");
    Path data = dir.resolve("data");
    for (int run = 0; run < 2; run++) { // the second run crashes a store that already crashed once
      Map<String, Long> acked = new LinkedHashMap<>();
      child = new ProcessBuilder(List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp", System.getProperty("java.class.path"),
              // sqlite-jdbc extracts its native library here; a killed JVM cannot delete it
              "-Dorg.sqlite.tmpdir=" + dir,
              SqliteCrashWriter.class.getName(), data.toString(), "4", "/crash/" + run + "/"))
          .redirectError(stderr.toFile())
          .start();
      long readyRev;
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String ready = in.readLine();
        assertNotNull(ready, () -> "child exited: " + read(stderr));
        assertTrue(ready.startsWith("READY "), ready);
        readyRev = Long.parseLong(ready.substring(6));
        while (acked.size() < ACKS_BEFORE_KILL) {
          String line = in.readLine();
          assertNotNull(line, () -> "child exited early: " + read(stderr));
          String[] parts = line.split(" ");
          acked.put(parts[1], Long.parseLong(parts[2]));
        }
        child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close()
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      }
      long maxAcked = acked.values().stream().mapToLong(Long::longValue).max().orElseThrow();
      try (SqliteStorage store = SqliteStorage.open(SqliteCrashIT.config(data))) {
        assertTrue(store.currentRevision() >= maxAcked);
        for (Map.Entry<String, Long> e : acked.entrySet()) {
          KeyValue kv = store.get(e.getKey(), 0).orElseThrow(() -> new AssertionError("lost " + e));
          assertEquals(e.getValue(), kv.modRevision(), e.getKey());
          assertEquals(e.getValue(), kv.createRevision(), e.getKey());
        }
        assertTrue(acked.values().stream().allMatch(r -> r > readyRev));
        KeyValue next = store.create("/after-crash/" + run, new byte[] {1}, 0);
        assertTrue(next.modRevision() > maxAcked);
        assertEquals(store.currentRevision(), next.modRevision());
        System.out.printf("crash run %d: %d acknowledged writes survived; revision after restart %d%n",
            run, acked.size(), next.modRevision());
      }
    }
  }

  private static SqliteStorageConfig config(Path data) {
    return SqliteStorageConfig.defaults(data);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(no stderr: " + e + ")";
    }
  }
}
