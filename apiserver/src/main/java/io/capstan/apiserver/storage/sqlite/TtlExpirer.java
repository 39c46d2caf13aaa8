package io.capstan.apiserver.storage.sqlite;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Deletes keys whose TTL ran out through the normal write path, so watchers get DELETE events. A
 * key rewritten since it was found expired is left alone (the delete is conditional on the
 * revision seen).
 */
final class TtlExpirer {
  private static final int MAX_PER_PASS = 1000;

  private final Reads reads;
  private final Writer writer;

  TtlExpirer(Reads reads, Writer writer) {
    this.reads = reads;
    this.writer = writer;
  }

  /** One pass; returns the number of keys deleted. */
  int expireNow() {
    List<CompletableFuture<Object>> pending = new ArrayList<>();
    for (Reads.Expired e : reads.expired(System.currentTimeMillis(), MAX_PER_PASS)) {
      pending.add(writer.submit(WriteOp.expire(e.key(), e.rev())));
    }
    int deleted = 0;
    for (CompletableFuture<Object> f : pending) {
      if (f.exceptionally(t -> null).join() != null) {
        deleted++;
      }
    }
    return deleted;
  }
}
