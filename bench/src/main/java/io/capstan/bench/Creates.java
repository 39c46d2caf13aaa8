package io.capstan.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;

/** Create throughput: {@code total} configmaps by {@code clients} concurrent HTTP clients. */
final class Creates {
  private Creates() {}

  static double run(Api api, String namespace, int clients, int total) throws Exception {
    api.namespace(namespace);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long start = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      futures.add(pool.submit(() -> {
        int i;
        while ((i = next.getAndIncrement()) < total) {
          if (api.post("/api/v1/namespaces/" + namespace + "/configmaps", Api.configMap("cm-" + i)) != 201) {
            failed.incrementAndGet();
          }
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    if (failed.get() > 0) {
      System.out.println("warning: " + failed.get() + " creates failed in " + namespace);
    }
    return total / seconds;
  }
}
