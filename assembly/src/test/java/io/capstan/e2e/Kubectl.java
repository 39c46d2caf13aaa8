package io.capstan.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the installed kubectl against a capstan server, with its own HOME and cache. */
public final class Kubectl {
  private final Path kubeconfig;
  private final Path home;

  /** Exit code and output of one kubectl run. */
  public record Result(int code, String out, String err) {
    public Result ok() {
      if (code != 0) {
        throw new AssertionError("kubectl failed (" + code + "): " + err + out);
      }
      return this;
    }
  }

  public Kubectl(Path kubeconfig) throws IOException {
    this.kubeconfig = kubeconfig;
    this.home = Files.createTempDirectory("capstan-kubectl-home-");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(home))); // kubectl's cache and output files
  }

  private static void deleteTree(Path dir) {
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | java.io.UncheckedIOException e) {
      // best effort at exit
    }
  }

  public Result run(String... args) throws Exception {
    return run(null, Map.of(), args);
  }

  public Result runWithInput(String stdin, String... args) throws Exception {
    return run(stdin, Map.of(), args);
  }

  public Result run(String stdin, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
        "--cache-dir", home.resolve("cache").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("HOME", home.toString());
    pb.environment().putAll(env);
    Path out = Files.createTempFile(home, "out", ".txt");
    Path err = Files.createTempFile(home, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish");
    }
    Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return r;
  }

  /** Starts kubectl in the background (for get -w); the caller destroys it. */
  public Process start(Path output, String... args) throws IOException {
    return start(output, Map.of(), args);
  }

  /** Starts kubectl in the background with extra environment variables; the caller destroys it. */
  public Process start(Path output, Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
        "--cache-dir", home.resolve("cache").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
    pb.environment().put("HOME", home.toString());
    pb.environment().putAll(env);
    return pb.start();
  }

  public Path home() {
    return home;
  }
}
