package io.capstan.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code capstan} process whose output goes to a file (so it outlives the process and several
 * runs of the same agent can be read), with the host checks of a node's data directory.
 */
final class NodeProcess {
  /** A condition to wait for. */
  interface Check {
    boolean holds() throws Exception;
  }

  private final Process process;
  private final Path output;

  private NodeProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** Starts {@code capstan ARGS...} from the packaged jar, its merged output into {@code output}. */
  static NodeProcess start(Path output, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-jar", System.getProperty("capstan.jar")));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    return new NodeProcess(p, output);
  }

  /** {@code capstan image import --data-dir DATA TARBALL busybox:e2e}. */
  static void importImage(Path data, Path tarball) throws Exception {
    Process imported = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        System.getProperty("capstan.jar"), "image", "import", "--data-dir", data.toString(), tarball.toString(),
        "busybox:e2e").redirectErrorStream(true).start();
    String out = new String(imported.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (imported.waitFor() != 0) {
      throw new AssertionError("image import failed: " + out);
    }
  }

  String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  /** Waits up to 60 s for a line starting with {@code prefix}; fails if the process exits first. */
  void awaitLine(String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (output().lines().anyMatch(l -> l.startsWith(prefix))) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("capstan exited (" + process.exitValue() + "): " + output());
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("no line \"" + prefix + "\" within 60 s: " + output());
  }

  /**
   * SIGKILL (what {@link Process#destroyForcibly()} sends on Linux), as a crash: no shutdown hook
   * runs. Returns the exit value, 128 + 9 when the signal ended it.
   */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    return process.waitFor();
  }

  /** SIGTERM, then waits (SIGKILL after 30 s); returns the exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    return process.exitValue();
  }

  /** Copies the {@code *.log} outputs in {@code dir} to {@code target/<name>/} for a look after the run. */
  static void keepOutputs(Path dir, String name) throws IOException {
    Path to = Path.of("target", name);
    Files.createDirectories(to);
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
        Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  static boolean isEmpty(Path d) throws IOException {
    if (!Files.exists(d)) {
      return true;
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.findAny().isEmpty();
    }
  }

  /** Mount points under {@code data} (of the given containers only, when {@code ids} is not empty). */
  static List<String> mountsOf(Path data, List<String> ids) throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
        .filter(m -> m.startsWith(data.toString()) && (ids.isEmpty() || ids.stream().anyMatch(m::contains)))
        .toList();
  }

  /** The shim processes of the node with data directory {@code data}. */
  static List<Long> shims(Path data) {
    String shim = data.resolve("bin/capstan-shim").toString();
    return ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.startsWith(shim)).orElse(false))
        .map(ProcessHandle::pid).toList();
  }
}
