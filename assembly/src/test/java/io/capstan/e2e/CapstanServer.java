package io.capstan.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real {@code capstan server} binary on a temporary data directory and a free loopback port.
 * {@link #stop()} sends SIGTERM and waits; {@link #restart()} starts it again on the same data.
 */
public final class CapstanServer implements AutoCloseable {
  private final Path dataDir;
  private final int port;
  private CapstanProcess process;

  private final List<String> extraArgs;

  private CapstanServer(Path dataDir, int port, List<String> extraArgs) {
    this.dataDir = dataDir;
    this.port = port;
    this.extraArgs = extraArgs;
  }

  /**
   * Starts {@code capstan server} with {@code extraArgs} after the data dir and listen flags. Unless
   * {@code extraArgs} say otherwise, it runs with {@code --node-agent false}: these tests exercise
   * the control plane (with simulated nodes), and a real node for this machine would take their
   * pods; {@code NodeAgentE2E} runs the agent.
   */
  public static CapstanServer start(String... extraArgs) throws Exception {
    List<String> args = new ArrayList<>(List.of(extraArgs));
    if (args.stream().noneMatch(a -> a.startsWith("--node-agent"))) {
      args.addAll(List.of("--node-agent", "false"));
    }
    CapstanServer s = new CapstanServer(Files.createTempDirectory("capstan-e2e-"), freePort(), List.copyOf(args));
    s.launch();
    return s;
  }

  static int freePort() throws IOException {
    try (ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return ss.getLocalPort();
    }
  }

  private void launch() throws Exception {
    List<String> args = new ArrayList<>(List.of("server", "--data-dir", dataDir.toString(), "--listen", "127.0.0.1:" + port));
    args.addAll(extraArgs);
    process = CapstanProcess.start(args.toArray(String[]::new));
    process.awaitLine(line -> line.startsWith("capstan server listening on"), Duration.ofSeconds(60));
    awaitReady();
  }

  private void awaitReady() throws Exception {
    HttpClient c = HttpClient.newHttpClient();
    for (int i = 0; i < 100; i++) {
      try {
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(url() + "/readyz")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("capstan server not ready: " + log());
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path kubeconfig() {
    return dataDir.resolve("kubeconfig");
  }

  public String log() {
    return process == null ? "" : process.output();
  }

  /** SIGTERM, then wait for a clean exit; returns the exit code. */
  public int stop() throws InterruptedException {
    if (process == null) {
      return 0;
    }
    int code = process.stop();
    process = null;
    return code;
  }

  public void restart() throws Exception {
    stop();
    launch();
  }

  @Override
  public void close() throws Exception {
    stop();
    try (var files = Files.walk(dataDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
