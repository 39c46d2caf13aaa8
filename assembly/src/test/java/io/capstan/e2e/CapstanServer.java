package io.capstan.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code capstan server} binary on a temporary data directory and a free loopback port.
 * {@link #stop()} sends SIGTERM and waits; {@link #restart()} starts it again on the same data.
 */
public final class CapstanServer implements AutoCloseable {
  private final Path dataDir;
  private final int port;
  private final List<String> extraArgs;
  private Process process;
  private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
  private final List<String> log = new ArrayList<>();

  private CapstanServer(Path dataDir, int port, List<String> extraArgs) {
    this.dataDir = dataDir;
    this.port = port;
    this.extraArgs = extraArgs;
  }

  public static CapstanServer start() throws Exception {
    return start(new String[0]);
  }

  /** A server started with {@code extraArgs} after the usual flags. */
  public static CapstanServer start(String... extraArgs) throws Exception {
    CapstanServer s = new CapstanServer(Files.createTempDirectory("capstan-e2e-"), freePort(), List.of(extraArgs));
    s.launch();
    return s;
  }

  static int freePort() throws IOException {
    try (ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return ss.getLocalPort();
    }
  }

  private void launch() throws Exception {
    String jar = System.getProperty("capstan.jar");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-jar", jar, "server", "--data-dir", dataDir.toString(), "--listen", "127.0.0.1:" + port));
    command.addAll(extraArgs);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    process = pb.start();
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          output.add(line);
          synchronized (log) {
            log.add(line);
          }
        }
      } catch (IOException e) {
        // process ended
      }
    });
    pump.setDaemon(true);
    pump.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String line = output.poll(200, TimeUnit.MILLISECONDS);
      if (line != null && line.startsWith("capstan server listening on")) {
        awaitReady();
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("capstan server exited: " + log());
      }
    }
    throw new IllegalStateException("capstan server did not announce itself: " + log());
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
    synchronized (log) {
      return String.join("\n", log);
    }
  }

  /** SIGTERM, then wait for a clean exit; returns the exit code. */
  public int stop() throws InterruptedException {
    if (process == null) {
      return 0;
    }
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    int code = process.exitValue();
    process = null;
    return code;
  }

  public void restart() throws Exception {
    stop();
    output.clear();
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
