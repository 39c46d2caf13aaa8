package io.capstan.apiserver.storage.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.storage.KeyValue;
import io.capstan.apiserver.storage.ListResult;
import io.capstan.apiserver.storage.Storage;
import io.capstan.apiserver.storage.StorageFactory;
import io.capstan.apiserver.storage.Watch;
import io.capstan.apiserver.storage.WatchListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copy semantics between two SQLite stores: more keys than one list page all arrive, and a write
 * to the source during the copy (a server still running on it) fails the migration.
 */
class StorageMigrationTest {
  @TempDir
  Path dir;

  @Test
  void copiesAcrossPagesAndDetectsASourceWrittenDuringTheCopy() {
    try (Storage source = StorageFactory.open("sqlite:" + dir.resolve("a"));
        Storage target = StorageFactory.open("sqlite:" + dir.resolve("b"));
        Storage other = StorageFactory.open("sqlite:" + dir.resolve("c"))) {
      for (int i = 0; i < 1234; i++) {
        source.create("/registry/configmaps/ns/cm" + i, ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8), 0);
      }
      StorageMigration.Result r = StorageMigration.copy(source, target, false, "b");
      assertEquals(1234, r.copied());
      assertEquals(source.list("", null, 0, 0).items().stream().map(kv -> kv.key() + new String(kv.value())).toList(),
          target.list("", null, 0, 0).items().stream().map(kv -> kv.key() + new String(kv.value())).toList());

      // a "running server" writes to the source between two list pages
      Storage busy = new Delegate(source) {
        boolean written;

        @Override
        public ListResult list(String prefix, String startKey, long atRevision, int limit) {
          if (!written) {
            written = true;
            source.create("/registry/configmaps/ns/late", "{}".getBytes(StandardCharsets.UTF_8), 0);
          }
          return super.list(prefix, startKey, atRevision, limit);
        }
      };
      SourceInUseException e = assertThrows(SourceInUseException.class, () -> StorageMigration.copy(busy, other, false, "c"));
      assertTrue(e.getMessage().contains("still running"), e.getMessage());
      assertEquals(1234, other.count(""), "the snapshot taken before the write was copied");
    }
  }

  /** Forwards every call to another store. */
  private static class Delegate implements Storage {
    private final Storage s;

    Delegate(Storage s) {
      this.s = s;
    }

    @Override public long currentRevision() { return s.currentRevision(); }
    @Override public long compactedRevision() { return s.compactedRevision(); }
    @Override public Optional<KeyValue> get(String key, long rev) { return s.get(key, rev); }
    @Override public ListResult list(String p, String k, long rev, int limit) { return s.list(p, k, rev, limit); }
    @Override public long count(String prefix) { return s.count(prefix); }
    @Override public KeyValue create(String key, byte[] v, long ttl) { return s.create(key, v, ttl); }
    @Override public KeyValue update(String key, byte[] v, long rev, long ttl) { return s.update(key, v, rev, ttl); }
    @Override public KeyValue delete(String key, long rev) { return s.delete(key, rev); }
    @Override public Watch watch(String p, long rev, WatchListener l) { return s.watch(p, rev, l); }
    @Override public void compact(long rev) { s.compact(rev); }
    @Override public void close() {}
  }
}
