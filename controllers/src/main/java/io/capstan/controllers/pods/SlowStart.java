package io.capstan.controllers.pods;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs many API writes of one kind in parallel batches that double in size (1, 2, 4, ...), as
 * upstream's {@code slowStartBatch}: a burst of pod creations is fast when the API accepts them,
 * and stops after a small batch when it refuses (a quota, a bad template, a terminating
 * namespace) instead of sending hundreds of doomed requests. Thread-safe; one per controller.
 */
public final class SlowStart implements AutoCloseable {
  /** At most this many writes in flight at once. */
  static final int MAX_PARALLEL = 32;
  private final ExecutorService pool;

  public SlowStart(String name) {
    this.pool = Executors.newFixedThreadPool(MAX_PARALLEL, r -> {
      Thread t = new Thread(r, name + "-writes");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Runs {@code count} calls of {@code write}, handing each result to {@code done} (from this
   * thread); stops after the first batch with a failure and throws the first failure.
   *
   * @return how many writes succeeded
   */
  public <T> int run(int count, Supplier<T> write, Consumer<T> done) throws InterruptedException {
    int succeeded = 0;
    for (int batch = 1; succeeded < count; batch = Math.min(batch * 2, MAX_PARALLEL * 4)) {
      int size = Math.min(batch, count - succeeded);
      List<Future<T>> futures = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        futures.add(pool.submit(write::get));
      }
      RuntimeException failure = null;
      for (Future<T> f : futures) {
        try {
          done.accept(f.get());
          succeeded++;
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause() instanceof RuntimeException r ? r
                : new KubernetesClientException("write failed: " + e.getCause(), e.getCause());
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
    return succeeded;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
