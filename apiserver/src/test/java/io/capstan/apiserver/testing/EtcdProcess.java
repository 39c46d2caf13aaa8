package io.capstan.apiserver.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real etcd member ({@code /usr/bin/etcd}) on loopback, on free ports, with its data in a
 * temporary directory. {@link #stop} kills the process and keeps the data, {@link #start} starts it
 * again on the same ports and data; {@link #close} kills it and deletes the directory.
 *
 * <p>A single-member cluster by default; {@link #member} builds one member of a larger cluster
 * (give every member the same {@code initialCluster} string).
 */
public final class EtcdProcess implements AutoCloseable {
  private static final String BINARY = System.getProperty("capstan.etcd.binary", "/usr/bin/etcd");

  private final String name;
  private final int clientPort;
  private final int peerPort;
  private final Path dir;
  private String initialCluster;
  private Process process;

  private EtcdProcess(String name, int clientPort, int peerPort) {
    this.name = name;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
    try {
      this.dir = Files.createTempDirectory("capstan-etcd-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.initialCluster = name + "=" + peerUrl();
  }

  /** Starts a single-member etcd and waits until it answers its health check. */
  public static EtcdProcess start() {
    EtcdProcess p = new EtcdProcess("m0", freePort(), freePort());
    p.startProcess();
    return p;
  }

  /** One not-yet-started member named {@code name}; set the cluster with {@link #initialCluster}. */
  public static EtcdProcess member(String name) {
    return new EtcdProcess(name, freePort(), freePort());
  }

  /** The {@code --initial-cluster} value, e.g. {@code m0=http://127.0.0.1:P0,m1=...}. */
  public EtcdProcess initialCluster(String value) {
    this.initialCluster = value;
    return this;
  }

  /** {@code name=peerUrl}, for building an {@code --initial-cluster} string. */
  public String clusterEntry() {
    return name + "=" + peerUrl();
  }

  public String peerUrl() {
    return "http://127.0.0.1:" + peerPort;
  }

  /** {@code 127.0.0.1:PORT} of the client endpoint. */
  public String endpoint() {
    return "127.0.0.1:" + clientPort;
  }

  /** The capstan storage URL for this member alone. */
  public String storageUrl() {
    return "etcd://" + endpoint();
  }

  /** (Re)starts the process on the same ports and data directory; waits until it is healthy. */
  public synchronized EtcdProcess startProcess() {
    if (process != null && process.isAlive()) {
      return this;
    }
    try {
      process = new ProcessBuilder(BINARY,
          "--name", name,
          "--data-dir", dir.resolve("data").toString(),
          "--listen-client-urls", "http://127.0.0.1:" + clientPort,
          "--advertise-client-urls", "http://127.0.0.1:" + clientPort,
          "--listen-peer-urls", peerUrl(),
          "--initial-advertise-peer-urls", peerUrl(),
          "--initial-cluster", initialCluster,
          "--initial-cluster-state", "new",
          // loopback: fast heartbeats elect a leader in well under a second
          "--heartbeat-interval", "10",
          "--election-timeout", "100",
          "--logger", "zap",
          "--log-outputs", dir.resolve("etcd.log").toString())
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("etcd.out").toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + BINARY, e);
    }
    awaitHealthy();
    return this;
  }

  /** Kills the process (SIGKILL) and waits for it to exit; the data directory stays. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Freezes the process (SIGSTOP): connections stay open but nothing is answered. */
  public synchronized void pause() {
    signal("STOP");
  }

  /** Thaws a {@link #pause}d process (SIGCONT). */
  public synchronized void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      int code = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
      if (code != 0) {
        throw new IllegalStateException("kill -" + name + " failed with " + code);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process != null) {
      resume(); // a stopped process would not die of SIGKILL until continued on some systems
    }
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitHealthy() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("etcd exited with " + process.exitValue() + "; see " + dir);
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://" + endpoint() + "/health").toURL()
            .openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        try {
          if (c.getResponseCode() == 200 && new String(c.getInputStream().readAllBytes()).contains("true")) {
            return;
          }
        } finally {
          c.disconnect();
        }
      } catch (IOException e) {
        // not listening yet
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("etcd did not become healthy within 30 s; see " + dir);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
