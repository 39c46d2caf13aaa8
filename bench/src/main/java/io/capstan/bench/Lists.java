package io.capstan.bench;

import java.util.Arrays;

/** Latency of listing one namespace's configmaps: p50 and max over {@code runs}. */
final class Lists {
  private Lists() {}

  static double[] latencies(Api api, String namespace, int runs) throws Exception {
    api.get("/api/v1/namespaces/" + namespace + "/configmaps");
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      String body = api.get("/api/v1/namespaces/" + namespace + "/configmaps");
      ms[i] = (System.nanoTime() - t) / 1e6;
      if (body.length() < 10_000 * 1024) {
        System.out.println("warning: list returned only " + body.length() + " bytes");
      }
    }
    Arrays.sort(ms);
    return new double[] {ms[runs / 2], ms[runs - 1]};
  }
}
