package io.capstan.bench;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Measures a running capstan server against a baseline taken in the same run: create throughput
 * of 1 KiB configmaps (1, 8, 32 clients) vs raw SQLite FULL-sync inserts, listing 10,000
 * configmaps, and event delivery to 1,000 watchers. Prints one line per figure.
 *
 * <p>Usage: {@code ApiBench URL [fanout]} (fanout: only the watch figures). Not a test: it asserts
 * nothing.
 */
public final class ApiBench {
  private ApiBench() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Api api = new Api(client, url);

    boolean only = args.length > 1;
    if (only && args[1].equals("fanout")) {
      fanout(api);
      System.exit(0);
    }
    Path tmp = Files.createTempDirectory("capstan-bench-sqlite-");
    double raw = RawSqlite.insertsPerSecond(tmp, 3000);
    RawSqlite.delete(tmp);
    print("raw SQLite WAL synchronous=FULL single-row inserts (1 KiB)", raw, "/s", null);

    for (int clients : new int[] {1, 8, 32}) {
      double rate = Creates.run(api, "bench-c" + clients, clients, clients == 1 ? 1500 : 4000);
      print("API create 1 KiB configmaps, " + clients + " clients", rate, "/s",
          String.format(Locale.ROOT, "%.0f %% of raw SQLite", 100 * rate / raw));
    }

    Creates.run(api, "bench-list", 32, 10_000);
    double[] list = Lists.latencies(api, "bench-list", 15);
    print("list 10,000 configmaps (JSON) p50", list[0], "ms", null);
    print("list 10,000 configmaps (JSON) max", list[1], "ms", null);

    fanout(api);
    System.exit(0);
  }

  private static void fanout(Api api) throws Exception {
    double[] fanout = Fanout.run(api, "bench-watch", 1000, 50);
    print("1,000 watchers: event delivery p50", fanout[0], "ms", null);
    print("1,000 watchers: event delivery p99", fanout[1], "ms", null);
    print("1,000 watchers: events delivered", fanout[2], "", "of " + (1000 * 50) + ", " + (int) fanout[3] + " streams open");
  }

  static void print(String what, double value, String unit, String note) {
    System.out.printf(Locale.ROOT, "%-62s %10.1f %-3s%s%n", what, value, unit, note == null ? "" : "  (" + note + ")");
  }
}
