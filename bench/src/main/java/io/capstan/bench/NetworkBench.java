package io.capstan.bench;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The pod network and service proxy on this machine ({@code capstan server} with its node agent,
 * busybox imported as {@code busybox:bench}), root only:
 * <ol>
 *   <li>{@code pods} pods with {@code hostNetwork: true} and {@code pods} without (the pod network: capstan-bridge by default),
 *       alternating, one after another: create -> Running seen by a watch; p50/p99 of each;</li>
 *   <li>{@code changes} Services created one after another, each selecting a busybox httpd pod:
 *       create -> the ClusterIP in {@code nft list table ip capstan} (polled every 2 ms), and
 *       create -> the first TCP connection from the host to ClusterIP:80 that succeeds;</li>
 *   <li>HTTP/1.0 requests on sequential new connections from the host to the httpd pod, direct to
 *       podIP:8080 and through ClusterIP:80, alternating in slices of {@code SLICE_MS}; a
 *       connect timeout (200 ms) or read error counts as failed.</li>
 * </ol>
 * Every pod and service is deleted at the end. Usage: {@code NetworkBench URL DATA_DIR [pods]
 * [changes]}. Not a test: it asserts nothing.
 */
public final class NetworkBench {
  static final long SLICE_MS = 3000;
  static final int SLICES = 4;

  private NetworkBench() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    Path data = Path.of(args[1]);
    int pods = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    int changes = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    Config config = new ConfigBuilder().withMasterUrl(url).withRequestRetryBackoffLimit(0).withHttp2Disable(true)
        .build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      NodeBench.awaitNodeReady(client);
      podStart(client, "net-warmup", 4, false);
      NodeBench.deleteAll(client, data, "net-warmup");
      podStart(client, "net-start", pods, true);
      NodeBench.deleteAll(client, data, "net-start");
      String ns = "net-svc";
      NodeBench.namespace(client, ns);
      Pod web = web(client, ns);
      String podIp = web.getStatus().getPodIP();
      String clusterIp = serviceChanges(client, ns, changes);
      throughput(podIp, 8080, clusterIp, 80);
      client.services().inNamespace(ns).delete();
      NodeBench.deleteAll(client, data, ns);
    }
    System.exit(0);
  }

  /** Alternates hostNetwork and CNI pods, each created once the previous was seen Running. */
  static void podStart(KubernetesClient client, String ns, int each, boolean print) throws Exception {
    NodeBench.namespace(client, ns);
    NodeBench.RunningWatch seen = new NodeBench.RunningWatch();
    double[] host = new double[each];
    double[] cni = new double[each];
    try (Watch w = client.pods().inNamespace(ns).watch(seen)) {
      for (int i = 0; i < 2 * each; i++) {
        boolean hostNet = i % 2 == 0;
        String name = (hostNet ? "h" : "n") + i;
        Pod pod = NodeBench.pod(name);
        pod.getSpec().setHostNetwork(hostNet);
        long start = System.nanoTime();
        client.pods().inNamespace(ns).resource(pod).create();
        seen.await(name);
        (hostNet ? host : cni)[i / 2] = (seen.runningAt.get(name) - start) / 1e6;
      }
    }
    if (!print) {
      return;
    }
    Arrays.sort(host);
    Arrays.sort(cni);
    ApiBench.print(each + " pods hostNetwork (no pod network), create -> Running, p50", NodeBench.pct(host, 50), "ms", null);
    ApiBench.print(each + " pods hostNetwork (no pod network), create -> Running, p99", NodeBench.pct(host, 99), "ms",
        "max " + NodeBench.fmt(host[each - 1]));
    ApiBench.print(each + " pods on the pod network, create -> Running, p50", NodeBench.pct(cni, 50), "ms", null);
    ApiBench.print(each + " pods on the pod network, create -> Running, p99", NodeBench.pct(cni, 99), "ms",
        "max " + NodeBench.fmt(cni[each - 1]));
    ApiBench.print("networking adds, at p50", NodeBench.pct(cni, 50) - NodeBench.pct(host, 50), "ms",
        "target <= 10 ms");
  }

  /** A busybox httpd on 8080 labelled app=web, once Running. */
  static Pod web(KubernetesClient client, String ns) throws Exception {
    Pod pod = new PodBuilder().withNewMetadata().withName("web").withLabels(Map.of("app", "web")).endMetadata()
        .withNewSpec().withTerminationGracePeriodSeconds(0L)
        .addNewContainer().withName("httpd").withImage("busybox:bench").withImagePullPolicy("Never")
        .withCommand("sh", "-c", "mkdir -p /tmp/www && echo hello > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www")
        .endContainer().endSpec().build();
    NodeBench.RunningWatch seen = new NodeBench.RunningWatch();
    try (Watch w = client.pods().inNamespace(ns).watch(seen)) {
      client.pods().inNamespace(ns).resource(pod).create();
      Pod running = seen.await("web");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!connects(running.getStatus().getPodIP(), 8080)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("httpd not answering on " + running.getStatus().getPodIP());
        }
        TimeUnit.MILLISECONDS.sleep(20);
      }
      return running;
    }
  }

  /** Creates services one after another; returns the ClusterIP of the last one. */
  static String serviceChanges(KubernetesClient client, String ns, int changes) throws Exception {
    double[] programmed = new double[changes];
    double[] connected = new double[changes];
    String ip = null;
    for (int i = 0; i < changes; i++) {
      Service svc = new ServiceBuilder().withNewMetadata().withName("s" + i).endMetadata()
          .withNewSpec().withSelector(Map.of("app", "web"))
          .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).endPort()
          .endSpec().build();
      long start = System.nanoTime();
      ip = client.services().inNamespace(ns).resource(svc).create().getSpec().getClusterIP();
      long deadline = start + TimeUnit.SECONDS.toNanos(30);
      while (!nftTable().contains(ip + " ")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("ClusterIP " + ip + " not programmed after 30 s");
        }
        TimeUnit.MILLISECONDS.sleep(2);
      }
      programmed[i] = (System.nanoTime() - start) / 1e6;
      while (!connects(ip, 80)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("ClusterIP " + ip + ":80 not connecting after 30 s");
        }
        TimeUnit.MILLISECONDS.sleep(2);
      }
      connected[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(programmed);
    Arrays.sort(connected);
    ApiBench.print(changes + " Services: create -> ClusterIP in nft table, p50", NodeBench.pct(programmed, 50), "ms",
        null);
    ApiBench.print(changes + " Services: create -> ClusterIP in nft table, p99", NodeBench.pct(programmed, 99), "ms",
        "target <= 200 ms; max " + NodeBench.fmt(programmed[changes - 1]));
    ApiBench.print(changes + " Services: create -> first connection to ClusterIP, p50", NodeBench.pct(connected, 50),
        "ms", null);
    ApiBench.print(changes + " Services: create -> first connection to ClusterIP, p99", NodeBench.pct(connected, 99),
        "ms", "target <= 200 ms; max " + NodeBench.fmt(connected[changes - 1]));
    return ip;
  }

  /** Requests per second on new connections, direct and through the ClusterIP, in alternating slices. */
  static void throughput(String podIp, int podPort, String clusterIp, int port) {
    long[] n = new long[2];
    long[] ns = new long[2];
    long[] failed = new long[2];
    for (int s = 0; s < 2 * SLICES; s++) {
      int k = s % 2;
      long start = System.nanoTime();
      long end = start + TimeUnit.MILLISECONDS.toNanos(SLICE_MS);
      while (System.nanoTime() < end) {
        try {
          request(k == 0 ? podIp : clusterIp, k == 0 ? podPort : port);
          n[k]++;
        } catch (IOException e) {
          failed[k]++;
        }
      }
      ns[k] += System.nanoTime() - start;
    }
    double direct = n[0] / (ns[0] / 1e9);
    double viaService = n[1] / (ns[1] / 1e9);
    ApiBench.print("HTTP requests, a new connection each, direct to pod IP", direct, "req/s",
        n[0] + " requests, " + failed[0] + " failed");
    ApiBench.print("HTTP requests, a new connection each, through ClusterIP", viaService, "req/s",
        n[1] + " requests, " + failed[1] + " failed");
    System.out.printf(Locale.ROOT, "ratio ClusterIP / direct: %.3f%n", viaService / direct);
  }

  static void request(String ip, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(ip, port), 200);
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write("GET /index.html HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      int total = 0;
      for (int r; (r = in.read(buf)) > 0; ) {
        total += r;
      }
      if (total == 0) {
        throw new IOException("empty answer from " + ip + ":" + port);
      }
    }
  }

  static boolean connects(String ip, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(ip, port), 50);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static String nftTable() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("nft", "list", "table", "ip", "capstan").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
