package io.capstan.apiserver.storage.sqlite;

import io.capstan.apiserver.storage.KeyValue;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Child process of {@link SqliteCrashIT}: opens the store in {@code args[0]} and creates keys
 * {@code args[2]<thread>/<n>} from {@code args[1]} threads forever, printing {@code ACK <key>
 * <revision>} only after {@code create} returned. It is killed with SIGKILL.
 */
public final class SqliteCrashWriter {
  private SqliteCrashWriter() {}

  public static void main(String[] args) {
    int threads = Integer.parseInt(args[1]);
    String prefix = args[2];
    PrintStream out = System.out;
    SqliteStorage store = SqliteStorage.open(SqliteStorageConfig.defaults(Path.of(args[0])));
    out.println("READY " + store.currentRevision());
    out.flush();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread w = new Thread(() -> {
        for (long i = 0; ; i++) {
          KeyValue kv = store.create(prefix + id + "/" + i, ("value-" + i).getBytes(), 0);
          synchronized (out) {
            out.println("ACK " + kv.key() + " " + kv.modRevision());
            out.flush();
          }
        }
      }, "crash-writer-" + t);
      w.start();
    }
  }
}
