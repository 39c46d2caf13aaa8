package io.capstan.apiserver.storage.etcd;

import static io.capstan.apiserver.storage.StorageTests.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.storage.CompactedException;
import io.capstan.apiserver.storage.KeyValue;
import io.capstan.apiserver.testing.EtcdProcess;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two API servers' compactors on one real etcd, their rounds driven by hand (the timers are off):
 * only the server that wins a round compacts, and only up to the revision it saw one round
 * earlier, so the other server's last interval of history survives.
 */
class EtcdCompactorTest {
  private EtcdProcess etcd;
  private EtcdStorage a;
  private EtcdStorage b;

  @BeforeEach
  void start() {
    etcd = EtcdProcess.start();
    EtcdStorageConfig config = EtcdStorageConfig.parse(etcd.storageUrl() + "/c").withCompactionInterval(Duration.ZERO);
    a = EtcdStorage.open(config);
    b = EtcdStorage.open(config);
  }

  @AfterEach
  void stop() {
    b.close();
    a.close();
    etcd.close();
  }

  @Test
  void onlyTheWinnerOfARoundCompactsAndOnlyUpToItsPreviousRound() {
    assertEquals(0, a.compactor().round(), "the first round only starts the clock");
    long aSaw = a.currentRevision();
    KeyValue x = write("/x");
    assertEquals(0, b.compactor().round(), "b lost the round a already took: it learns the clock");
    long bSaw = b.currentRevision();
    write("/y");

    long compacted = a.compactor().round();
    assertEquals(aSaw, compacted, "a compacts up to what it saw at its previous round");
    assertThrows(CompactedException.class, () -> a.get("/x", compacted - 1));

    assertEquals(0, b.compactor().round(), "b's view of the clock is stale: it loses again and compacts nothing");
    assertTrue(bSaw > compacted);
    assertEquals(x, a.get("/x", x.modRevision()).orElseThrow(), "history after a's compaction point survives");

    long bSawNow = b.currentRevision();
    write("/z");
    assertEquals(bSawNow, b.compactor().round(), "with the clock caught up, b wins the next round");
    assertEquals(0, a.compactor().round(), "and a loses it");
  }

  private KeyValue write(String key) {
    return a.create(key, b("v"), 0);
  }
}
