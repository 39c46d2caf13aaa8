package io.capstan.apiserver.storage.etcd;

import com.google.protobuf.ByteString;
import io.capstan.apiserver.storage.StorageException;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Compacts etcd's history periodically, coordinated between every API server on the same etcd the
 * way kube-apiserver does it. The key {@value #CLOCK_KEY} (outside any key prefix, since compaction
 * is global to etcd) is a shared clock: its version counts the rounds. At each tick a server runs
 * one transaction "if the clock's version is the one I last saw, put the revision I saw at my last
 * tick, else read the clock". The server whose put went through has won the round and compacts
 * up to the revision it saw at its previous tick, so at least one interval of history survives;
 * the others only learn the clock's version. However many servers tick, history is compacted at
 * most once per interval, and never past what every server's previous interval still needs.
 */
final class EtcdCompactor implements AutoCloseable {
  /** The shared clock's key, the one kube-apiserver uses. */
  static final String CLOCK_KEY = "compact_rev_key";

  private static final Logger LOG = Logger.getLogger(EtcdCompactor.class);
  private static final ByteString CLOCK = ByteString.copyFromUtf8(CLOCK_KEY);

  private final EtcdClient client;
  private final EtcdStorage storage;
  private final Duration interval;
  private ScheduledExecutorService timer;
  private long clock;
  private long previous;

  EtcdCompactor(EtcdClient client, EtcdStorage storage, Duration interval) {
    this.client = client;
    this.storage = storage;
    this.interval = interval;
  }

  void start() {
    if (interval.isZero() || interval.isNegative()) {
      return;
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "capstan-storage-etcd-compactor");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      round();
    } catch (StorageException | IllegalStateException e) {
      LOG.warnf("etcd compaction skipped: %s", e.getMessage());
    }
  }

  /**
   * One round of the protocol; returns the revision this server compacted to, 0 when it lost the
   * round or won the first round it took part in (nothing seen before to compact up to).
   */
  synchronized long round() {
    TxnResponse r = client.call("coordinate compaction", () -> client.kv().txn(TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(CLOCK).setTarget(Compare.CompareTarget.VERSION)
            .setResult(Compare.CompareResult.EQUAL).setVersion(clock))
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(CLOCK)
            .setValue(ByteString.copyFrom(Long.toString(previous), StandardCharsets.US_ASCII))))
        .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(CLOCK)))
        .build()));
    long seen = r.getHeader().getRevision();
    if (!r.getSucceeded()) {
      RangeResponse range = r.getResponses(0).getResponseRange();
      clock = range.getKvsCount() == 0 ? 0 : range.getKvs(0).getVersion();
      previous = seen;
      return 0;
    }
    clock++;
    long target = previous;
    previous = seen;
    if (target <= 0) {
      return 0;
    }
    storage.compact(target);
    LOG.debugf("compacted etcd at revision %d (round %d)", target, clock);
    return target;
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
