package io.capstan.apiserver.storage.etcd;

import static io.capstan.apiserver.storage.StorageTests.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.storage.CompactedException;
import io.capstan.apiserver.storage.KeyValue;
import io.capstan.apiserver.storage.Recorder;
import io.capstan.apiserver.storage.Storage;
import io.capstan.apiserver.storage.StorageContract;
import io.capstan.apiserver.storage.StorageTimeoutException;
import io.capstan.apiserver.storage.StorageUnavailableException;
import io.capstan.apiserver.storage.StorageTests;
import io.capstan.apiserver.storage.WatchEvent;
import io.capstan.apiserver.testing.EtcdProcess;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The storage contract on a real etcd (a fresh single member per test, so that revisions start at
 * 1 and no history is compacted), with keys under a prefix; plus etcd-only properties: the key
 * layout in etcd, the shared watch surviving an etcd restart, start-up failure.
 */
class EtcdStorageTest extends StorageContract {
  private EtcdProcess etcd;

  @Override
  protected Storage newStorage() {
    etcd = EtcdProcess.start();
    return EtcdStorage.open(config(etcd));
  }

  private static EtcdStorageConfig config(EtcdProcess etcd) {
    return EtcdStorageConfig.parse(etcd.storageUrl() + "/contract")
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMillis(200))
        .withCompactionInterval(Duration.ZERO);
  }

  @Override
  protected long initialRevision() {
    return 1; // a new etcd is at revision 1 before any write
  }

  @Override
  protected void cleanup() {
    etcd.close();
  }

  @Test
  void keysAreKubernetesKeysUnderThePrefixAndRevisionsAreEtcdModRevisions() {
    KeyValue kv = store.create("/registry/configmaps/default/app", b("{}"), 0);
    ManagedChannel ch = NettyChannelBuilder.forTarget(etcd.endpoint()).usePlaintext().build();
    try {
      var r = KVGrpc.newBlockingStub(ch).range(RangeRequest.newBuilder()
          .setKey(com.google.protobuf.ByteString.copyFromUtf8("/contract/registry/configmaps/default/app")).build());
      assertEquals(1, r.getKvsCount());
      assertEquals(kv.modRevision(), r.getKvs(0).getModRevision());
      assertEquals("{}", r.getKvs(0).getValue().toStringUtf8());
      // keys of a neighbouring prefix are not ours
      for (String other : List.of("/contract2/registry/x", "/contractx")) {
        KVGrpc.newBlockingStub(ch).put(io.etcd.jetcd.api.PutRequest.newBuilder()
            .setKey(com.google.protobuf.ByteString.copyFromUtf8(other)).setValue(com.google.protobuf.ByteString.EMPTY).build());
      }
      assertEquals(1, store.count(""));
      assertEquals(List.of("/registry/configmaps/default/app"), StorageTests.keys(store.list("", null, 0, 0).items()));
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void watchesSurviveAnEtcdRestartAndRequestsFailFastWhileItIsDown() {
    KeyValue a = store.create("/s/a", b("1"), 0);
    Recorder rec = new Recorder();
    store.watch("/s/", a.modRevision(), rec);
    etcd.stop();
    assertThrows(StorageUnavailableException.class, () -> store.create("/s/b", b("1"), 0));
    assertThrows(StorageUnavailableException.class, () -> store.get("/s/a", 0));
    etcd.startProcess();
    KeyValue b2 = awaitWrite(() -> store.create("/s/b", b("2"), 0));
    assertEquals(List.of(b2.modRevision()), StorageTests.revs(rec.awaitRevision(b2.modRevision())));
    assertTrue(rec.closes().isEmpty());
  }

  @Test
  void aWatchWhoseHistoryWasCompactedWhileEtcdWasAwayEndsWith410AndTheCacheStartsAgain() {
    store.close();
    // the shared watch re-opens 5 s after it broke: time enough for another client to compact
    store = EtcdStorage.open(config(etcd).withWatchRetryInterval(Duration.ofSeconds(5)));
    KeyValue a = store.create("/q/a", b("1"), 0);
    Recorder rec = new Recorder();
    store.watch("/q/", a.modRevision(), rec);
    etcd.stop();
    etcd.startProcess();
    try (EtcdStorage other = EtcdStorage.open(config(etcd))) {
      KeyValue b1 = other.create("/q/b", b("1"), 0);
      other.update("/q/b", b("2"), b1.modRevision(), 0);
      other.compact(other.currentRevision());
    }
    assertInstanceOf(CompactedException.class, rec.awaitClose());
    assertTrue(rec.events().isEmpty(), rec.events().toString());
    Recorder again = new Recorder();
    long from = store.currentRevision();
    awaitWrite(() -> {
      store.watch("/q/", from, again);
      return null;
    });
    KeyValue c = store.create("/q/c", b("1"), 0);
    assertEquals(List.of(c.modRevision()), StorageTests.revs(again.awaitRevision(c.modRevision())));
  }

  @Test
  void aFrozenEtcdGivesTimeoutsThenServiceResumes() {
    store.close();
    store = EtcdStorage.open(config(etcd).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(10),
        Duration.ofMillis(200)));
    KeyValue a = store.create("/f/a", b("1"), 0);
    Recorder rec = new Recorder();
    store.watch("/f/", a.modRevision(), rec);
    etcd.pause();
    try {
      assertThrows(StorageTimeoutException.class, () -> store.get("/f/a", 0));
      assertThrows(StorageTimeoutException.class, () -> store.create("/f/b", b("1"), 0));
    } finally {
      etcd.resume();
    }
    KeyValue a2 = awaitWrite(() -> store.update("/f/a", b("2"), a.modRevision(), 0));
    // the create that timed out may still have been applied once etcd thawed (as with any timeout)
    List<WatchEvent> events = rec.awaitRevision(a2.modRevision());
    assertEquals(store.get("/f/b", 0).isPresent() ? 2 : 1, events.size(), events.toString());
    assertEquals(a2, events.get(events.size() - 1).kv());
    assertTrue(rec.closes().isEmpty());
  }

  @Test
  void unreachableEtcdAtStartFailsAfterTheConnectTimeout() {
    EtcdStorageConfig c = EtcdStorageConfig.parse("etcd://127.0.0.1:1")
        .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(600), Duration.ofMillis(200));
    StorageUnavailableException e = assertThrows(StorageUnavailableException.class, () -> EtcdStorage.open(c));
    assertTrue(e.getMessage().contains("127.0.0.1:1 is unreachable"), e.getMessage());
    assertInstanceOf(IllegalArgumentException.class,
        assertThrows(IllegalArgumentException.class, () -> EtcdStorageConfig.parse("etcd://nohostport")));
  }

  private static KeyValue awaitWrite(java.util.function.Supplier<KeyValue> write) {
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      try {
        return write.get();
      } catch (StorageUnavailableException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        sleep(100);
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
