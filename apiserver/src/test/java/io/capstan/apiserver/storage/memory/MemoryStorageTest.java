package io.capstan.apiserver.storage.memory;

import static io.capstan.apiserver.storage.StorageTests.b;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capstan.apiserver.storage.CompactedException;
import io.capstan.apiserver.storage.Storage;
import io.capstan.apiserver.storage.StorageContract;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** The storage contract against the in-memory fake. */
class MemoryStorageTest extends StorageContract {

  @Override
  protected Storage newStorage() {
    return new MemoryStorage();
  }

  @Test
  void historyBeyondTheLimitIsCompactedAutomatically() {
    try (MemoryStorage small = new MemoryStorage(10)) {
      for (int i = 0; i < 25; i++) {
        small.create("/k/" + i, b("v"), 0);
      }
      Assertions.assertTrue(small.compactedRevision() > 0);
      Assertions.assertTrue(small.compactedRevision() <= 25 - 5);
      Assertions.assertThrows(CompactedException.class, () -> small.get("/k/0", 1));
      assertEquals(25, small.list("/k/", null, small.compactedRevision(), 0).items().size()
          + (int) (25 - small.compactedRevision()));
    }
  }
}
