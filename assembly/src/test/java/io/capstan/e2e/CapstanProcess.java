package io.capstan.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One run of the packaged {@code capstan} binary with any role's arguments: its merged output is
 * kept line by line so a test can wait for a line, and it is stopped with SIGTERM ({@link
 * #stop()}) or SIGKILL ({@link #kill()}).
 */
public final class CapstanProcess implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new ArrayList<>();

  private CapstanProcess(Process process) {
    this.process = process;
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "capstan-output-" + process.pid());
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts {@code capstan ARGS...} from the jar the build made (system property capstan.jar). */
  public static CapstanProcess start(String... args) throws IOException {
    return startIn(null, args);
  }

  /**
   * Starts {@code capstan ARGS...} in the network namespace {@code netns} (through
   * {@code nsenter --net=}, which changes nothing else), or in this one when null.
   */
  public static CapstanProcess startIn(Path netns, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (netns != null) {
      cmd.addAll(List.of("/usr/bin/nsenter", "--net=" + netns));
    }
    cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-jar", System.getProperty("capstan.jar")));
    cmd.addAll(List.of(args));
    return new CapstanProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start());
  }

  /**
   * Waits for an output line matching {@code wanted} and returns it; fails when the process exits
   * first or nothing matches within {@code timeout}.
   */
  public String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      while (true) {
        for (String line : lines) {
          if (wanted.test(line)) {
            return line;
          }
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw new IllegalStateException("no such line within " + timeout + "; output:\n" + output());
        }
        if (!process.isAlive()) {
          lines.wait(200); // let the pump drain what is left
          if (lines.stream().noneMatch(wanted)) {
            throw new IllegalStateException("capstan exited (" + process.exitValue() + "); output:\n" + output());
          }
          continue;
        }
        lines.wait(Math.min(left, 200));
      }
    }
  }

  /** Whether some output line so far matches {@code wanted}. */
  public boolean printed(Predicate<String> wanted) {
    synchronized (lines) {
      return lines.stream().anyMatch(wanted);
    }
  }

  public String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, then waits (SIGKILL after 30 s); returns the exit code. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    return process.exitValue();
  }

  /** SIGKILL, as a crash: no shutdown hook runs. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }
}
