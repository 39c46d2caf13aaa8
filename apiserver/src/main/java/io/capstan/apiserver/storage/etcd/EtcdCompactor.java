package io.capstan.apiserver.storage.etcd;

import io.capstan.apiserver.storage.StorageException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Compacts etcd's history periodically, as kube-apiserver does: at each tick it compacts up to the
 * revision it saw at the previous tick, so at least one interval of history always survives (watches
 * and paged lists that old keep working). With several API servers on one etcd each compacts on its
 * own; that is harmless (compacting an already compacted revision is a no-op) but not coordinated.
 */
final class EtcdCompactor implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EtcdCompactor.class);

  private final EtcdStorage storage;
  private final Duration interval;
  private ScheduledExecutorService timer;
  private long previous;

  EtcdCompactor(EtcdStorage storage, Duration interval) {
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
      long current = storage.currentRevision();
      if (previous > 0 && previous > storage.compactedRevision()) {
        storage.compact(previous);
        LOG.debugf("compacted etcd at revision %d", previous);
      }
      previous = current;
    } catch (StorageException | IllegalStateException e) {
      LOG.warnf("etcd compaction skipped: %s", e.getMessage());
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
