package io.capstan.apiserver.storage.etcd;

import com.google.protobuf.ByteString;
import io.capstan.apiserver.storage.CompactedException;
import io.capstan.apiserver.storage.ConflictException;
import io.capstan.apiserver.storage.FutureRevisionException;
import io.capstan.apiserver.storage.KeyExistsException;
import io.capstan.apiserver.storage.KeyNotFoundException;
import io.capstan.apiserver.storage.KeyValue;
import io.capstan.apiserver.storage.ListResult;
import io.capstan.apiserver.storage.Storage;
import io.capstan.apiserver.storage.StorageUnavailableException;
import io.capstan.apiserver.storage.Watch;
import io.capstan.apiserver.storage.WatchListener;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The storage SPI on etcd 3.4+ over gRPC (jetcd's generated etcd API). Every write is one etcd
 * transaction: create = {@code If mod_revision == 0 Then put Else range}; update = {@code If
 * mod_revision == R and value != V Then put Else range} (an identical value is a no-op, found in
 * the Else range); delete = {@code If mod_revision == R (or > 0) Then delete Else range}. Revisions
 * are etcd's, reads at a revision are etcd range reads at it, TTL keys use one lease each.
 *
 * <p>Watches are served by a {@link WatchCache}: one etcd watch over the whole key prefix fans out
 * to every storage watch; only watches starting before the cache's window open their own etcd
 * watch. No etcd progress request is used (unreliable before etcd 3.4.25).
 *
 * <p>Failures: an unreachable etcd or a request past its deadline throw {@link
 * StorageUnavailableException} (a {@link io.capstan.apiserver.storage.StorageTimeoutException} for
 * the deadline); the gRPC channel reconnects by itself.
 */
public final class EtcdStorage implements Storage {
  private static final Logger LOG = Logger.getLogger(EtcdStorage.class);

  private final EtcdClient client;
  private final WatchCache cache;
  private final EtcdCompactor compactor;

  private EtcdStorage(EtcdClient client) {
    this.client = client;
    this.cache = new WatchCache(client);
    this.compactor = new EtcdCompactor(client, this, client.config().compactionInterval());
  }

  /**
   * Connects to etcd, retrying every {@code connectRetryInterval} for up to {@code connectTimeout}
   * while it is unreachable (one log line when the first attempt fails).
   *
   * @throws StorageUnavailableException when etcd stayed unreachable
   */
  public static EtcdStorage open(EtcdStorageConfig config) {
    EtcdClient client = new EtcdClient(config);
    long deadline = System.nanoTime() + config.connectTimeout().toNanos();
    boolean logged = false;
    while (true) {
      try {
        client.currentRevision();
        break;
      } catch (StorageUnavailableException e) {
        if (System.nanoTime() + config.connectRetryInterval().toNanos() > deadline) {
          client.close();
          throw new StorageUnavailableException("etcd at " + config.describe() + " is unreachable ("
              + rootMessage(e) + "); gave up after " + seconds(config.connectTimeout()), null);
        }
        if (!logged) {
          LOG.errorf("etcd at %s is unreachable (%s); retrying every %s for up to %s", config.describe(),
              rootMessage(e), seconds(config.connectRetryInterval()), seconds(config.connectTimeout()));
          logged = true;
        }
        sleep(config.connectRetryInterval().toMillis());
      }
    }
    EtcdStorage s = new EtcdStorage(client);
    s.cache.start();
    s.compactor.start();
    if (logged) {
      LOG.infof("connected to etcd at %s", config.describe());
    }
    return s;
  }

  /** This server's side of the compaction protocol (tests drive its rounds directly). */
  EtcdCompactor compactor() {
    return compactor;
  }

  @Override
  public long currentRevision() {
    return client.currentRevision();
  }

  @Override
  public long compactedRevision() {
    return client.knownCompacted();
  }

  @Override
  public Optional<KeyValue> get(String key, long atRevision) {
    RangeResponse r = range(RangeRequest.newBuilder().setKey(client.key(key)).setRevision(atRevision), "get " + key,
        atRevision);
    return r.getKvsCount() == 0 ? Optional.empty() : Optional.of(client.toKv(r.getKvs(0)));
  }

  @Override
  public ListResult list(String prefix, String startKey, long atRevision, int limit) {
    ByteString start = client.rangeStart(prefix);
    if (startKey != null && !startKey.isEmpty()
        && ByteString.unsignedLexicographicalComparator().compare(client.key(startKey), start) > 0) {
      start = client.key(startKey);
    }
    RangeResponse r = range(RangeRequest.newBuilder().setKey(start).setRangeEnd(client.rangeEnd(prefix))
        .setRevision(atRevision).setLimit(Math.max(0, limit)), "list " + prefix, atRevision);
    List<KeyValue> items = r.getKvsList().stream().map(client::toKv).toList();
    long revision = atRevision > 0 ? atRevision : r.getHeader().getRevision();
    boolean more = r.getMore();
    return new ListResult(items, revision, more, more ? r.getCount() - items.size() : 0);
  }

  @Override
  public long count(String prefix) {
    return range(RangeRequest.newBuilder().setKey(client.rangeStart(prefix)).setRangeEnd(client.rangeEnd(prefix))
        .setCountOnly(true), "count " + prefix, 0).getCount();
  }

  private RangeResponse range(RangeRequest.Builder req, String what, long atRevision) {
    try {
      if (client.isClosed()) {
        throw new StorageUnavailableException("storage is closed", null);
      }
      return client.kv().range(req.build());
    } catch (StatusRuntimeException e) {
      throw revisionError(what, e, atRevision);
    }
  }

  private RuntimeException revisionError(String what, StatusRuntimeException e, long requested) {
    if (EtcdClient.isFutureRevision(e)) {
      return new FutureRevisionException(requested, currentRevision());
    }
    if (EtcdClient.isCompacted(e)) {
      return new CompactedException(requested, Math.max(client.knownCompacted(), requested + 1));
    }
    return client.translate(what, e);
  }

  @Override
  public KeyValue create(String key, byte[] value, long ttlSeconds) {
    long lease = grant(ttlSeconds);
    ByteString k = client.key(key);
    TxnResponse r = txn("create " + key, TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(k).setTarget(Compare.CompareTarget.MOD)
            .setResult(Compare.CompareResult.EQUAL).setModRevision(0))
        .addSuccess(put(k, value, lease, false))
        .addFailure(get(k)));
    if (!r.getSucceeded()) {
      revoke(lease);
      throw new KeyExistsException(client.toKv(r.getResponses(0).getResponseRange().getKvs(0)));
    }
    long rev = r.getHeader().getRevision();
    return new KeyValue(key, value, rev, rev, ttlSeconds);
  }

  @Override
  public KeyValue update(String key, byte[] value, long expectedModRevision, long ttlSeconds) {
    long lease = grant(ttlSeconds);
    ByteString k = client.key(key);
    TxnResponse r = txn("update " + key, TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(k).setTarget(Compare.CompareTarget.MOD)
            .setResult(Compare.CompareResult.EQUAL).setModRevision(expectedModRevision))
        .addCompare(Compare.newBuilder().setKey(k).setTarget(Compare.CompareTarget.VALUE)
            .setResult(Compare.CompareResult.NOT_EQUAL).setValue(ByteString.copyFrom(value)))
        .addSuccess(put(k, value, lease, true))
        .addFailure(get(k)));
    if (r.getSucceeded()) {
      io.etcd.jetcd.api.KeyValue prev = r.getResponses(0).getResponsePut().getPrevKv();
      return new KeyValue(key, value, prev.getCreateRevision(), r.getHeader().getRevision(), ttlSeconds);
    }
    revoke(lease);
    KeyValue current = currentOf(key, r);
    if (current.modRevision() == expectedModRevision) {
      return current; // identical bytes: nothing written
    }
    throw new ConflictException(key, expectedModRevision, current);
  }

  @Override
  public KeyValue delete(String key, long expectedModRevision) {
    ByteString k = client.key(key);
    Compare.Builder cmp = Compare.newBuilder().setKey(k).setTarget(Compare.CompareTarget.MOD);
    if (expectedModRevision == 0) {
      cmp.setResult(Compare.CompareResult.GREATER).setModRevision(0);
    } else {
      cmp.setResult(Compare.CompareResult.EQUAL).setModRevision(expectedModRevision);
    }
    TxnResponse r = txn("delete " + key, TxnRequest.newBuilder().addCompare(cmp)
        .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(k).setPrevKv(true)))
        .addFailure(get(k)));
    if (!r.getSucceeded()) {
      throw new ConflictException(key, expectedModRevision, currentOf(key, r));
    }
    io.etcd.jetcd.api.KeyValue prev = r.getResponses(0).getResponseDeleteRange().getPrevKvs(0);
    return new KeyValue(key, prev.getValue().toByteArray(), prev.getCreateRevision(), r.getHeader().getRevision(),
        client.ttlOf(prev.getLease()));
  }

  /** The current version from a failed transaction's Else range; absent: {@link KeyNotFoundException}. */
  private KeyValue currentOf(String key, TxnResponse r) {
    RangeResponse range = r.getResponses(0).getResponseRange();
    if (range.getKvsCount() == 0) {
      throw new KeyNotFoundException(key);
    }
    return client.toKv(range.getKvs(0));
  }

  private TxnResponse txn(String what, TxnRequest.Builder req) {
    return client.call(what, () -> client.kv().txn(req.build()));
  }

  private static RequestOp put(ByteString key, byte[] value, long lease, boolean prevKv) {
    return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key)
        .setValue(ByteString.copyFrom(value)).setLease(lease).setPrevKv(prevKv)).build();
  }

  private static RequestOp get(ByteString key) {
    return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)).build();
  }

  private long grant(long ttlSeconds) {
    if (ttlSeconds <= 0) {
      return 0;
    }
    long id = client.call("grant a lease", () -> client.lease().leaseGrant(LeaseGrantRequest.newBuilder()
        .setTTL(ttlSeconds).build())).getID();
    client.rememberLease(id, ttlSeconds);
    return id;
  }

  private void revoke(long lease) {
    if (lease == 0) {
      return;
    }
    client.forgetLease(lease);
    try {
      client.lease().leaseRevoke(LeaseRevokeRequest.newBuilder().setID(lease).build());
    } catch (StatusRuntimeException e) {
      // an unused lease expires by itself
    }
  }

  @Override
  public Watch watch(String prefix, long afterRevision, WatchListener listener) {
    return cache.watch(prefix, afterRevision, listener);
  }

  @Override
  public void compact(long revision) {
    if (revision <= client.knownCompacted()) {
      return;
    }
    try {
      if (client.isClosed()) {
        throw new StorageUnavailableException("storage is closed", null);
      }
      client.kv().compact(CompactionRequest.newBuilder().setRevision(revision).build());
    } catch (StatusRuntimeException e) {
      if (!EtcdClient.isCompacted(e)) {
        throw revisionError("compact at " + revision, e, revision);
      }
    }
    client.sawCompacted(revision); // new watches below it now fail (WatchCache checks it)
  }

  @Override
  public void close() {
    compactor.close();
    cache.close();
    client.close();
  }

  private static String seconds(java.time.Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format("%.1f s", d.toMillis() / 1000.0);
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageUnavailableException("interrupted while connecting to etcd", e);
    }
  }
}
