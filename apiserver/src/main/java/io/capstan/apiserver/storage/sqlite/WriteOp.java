package io.capstan.apiserver.storage.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;

/**
 * One request to the writer thread. Key writes complete their future with the resulting {@link
 * io.capstan.apiserver.storage.KeyValue}, with a {@link io.capstan.apiserver.storage.StorageException}
 * value for a lost compare-and-swap (not exceptionally), or exceptionally when the transaction
 * failed. Tasks run alone, outside any transaction, on the writer's connection.
 */
final class WriteOp {
  enum Kind {
    CREATE,
    UPDATE,
    DELETE,
    /** Delete a key whose TTL ran out, only if it is still at revision {@code expected}. */
    EXPIRE,
    TASK,
    STOP
  }

  /** Work that needs the writer connection (compaction, vacuum). */
  interface Task {
    Object run(Connection c) throws SQLException;
  }

  static final WriteOp STOP = new WriteOp(Kind.STOP, null, null, 0, 0, null);

  final Kind kind;
  final String key;
  final byte[] value;
  final long expected;
  final long ttlSeconds;
  final Task task;
  final CompletableFuture<Object> future = new CompletableFuture<>();

  private WriteOp(Kind kind, String key, byte[] value, long expected, long ttlSeconds, Task task) {
    this.kind = kind;
    this.key = key;
    this.value = value;
    this.expected = expected;
    this.ttlSeconds = ttlSeconds;
    this.task = task;
  }

  static WriteOp create(String key, byte[] value, long ttlSeconds) {
    return new WriteOp(Kind.CREATE, key, value.clone(), 0, ttlSeconds, null);
  }

  static WriteOp update(String key, byte[] value, long expected, long ttlSeconds) {
    return new WriteOp(Kind.UPDATE, key, value.clone(), expected, ttlSeconds, null);
  }

  static WriteOp delete(String key, long expected) {
    return new WriteOp(Kind.DELETE, key, null, expected, 0, null);
  }

  static WriteOp expire(String key, long expected) {
    return new WriteOp(Kind.EXPIRE, key, null, expected, 0, null);
  }

  static WriteOp task(Task task) {
    return new WriteOp(Kind.TASK, null, null, 0, 0, task);
  }

  boolean isKeyWrite() {
    return kind != Kind.TASK && kind != Kind.STOP;
  }
}
