package io.capstan.apiserver.storage.sqlite;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names the store's threads {@code capstan-storage-<store>-<role>[-n]}; all are daemons. */
final class Threads {
  private Threads() {}

  static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  static ThreadFactory factory(String baseName) {
    AtomicInteger seq = new AtomicInteger();
    return r -> daemon(baseName + "-" + seq.incrementAndGet(), r);
  }
}
