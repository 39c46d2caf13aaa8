package io.capstan.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Host-side helpers of the network E2Es: running a command inside a running container (its mount,
 * network and UTS namespaces, through {@code nsenter}, since capstan has no exec endpoint yet) and
 * looking at what the node's network left on the host.
 */
final class PodShell {
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  record Out(int code, String out) {}

  private PodShell() {}

  /** The host pid of a running container, from the runtime's state under {@code data}. */
  static long pid(Path data, String containerId) throws IOException {
    String id = containerId.substring(containerId.indexOf("://") + 3);
    return Long.parseLong(Files.readString(data.resolve("runtime/containers").resolve(id).resolve("pid")).trim());
  }

  /** Runs {@code argv} in the container whose host pid is {@code pid}, as that container sees the world. */
  static Out exec(long pid, String... argv) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", Long.toString(pid), "-m", "-n", "-u", "-r", "-w",
        "--"));
    cmd.addAll(List.of(argv));
    return host(cmd.toArray(String[]::new));
  }

  /** Runs a host command (30 s at most). */
  static Out host(String... argv) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().put("PATH", PATH);
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Out(-1, new String(out, StandardCharsets.UTF_8));
    }
    return new Out(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** Lines of a host command's output that mention {@code word}. */
  static List<String> grep(String word, String... argv) throws IOException, InterruptedException {
    return host(argv).out().lines().filter(l -> l.contains(word)).toList();
  }

  /** Every trace of capstan pod networking on the host: links, addresses, routes, nat chains, pinned netns. */
  static List<String> traces(Path data) throws IOException, InterruptedException {
    List<String> out = new ArrayList<>();
    grep("capstan", "ip", "-o", "link", "show").forEach(l -> out.add("link: " + l));
    grep("10.244.", "ip", "-o", "addr", "show").forEach(l -> out.add("addr: " + l));
    grep("10.96.", "ip", "-o", "addr", "show").forEach(l -> out.add("addr: " + l));
    for (String l : host("ip", "route", "show").out().lines().toList()) {
      if (l.contains("10.244.") || l.contains("10.96.") || l.contains("capstan")) {
        out.add("route: " + l);
      }
    }
    for (String l : host("iptables", "-t", "nat", "-S").out().lines().toList()) {
      if (l.contains("CNI-") || l.contains("capstan")) {
        out.add("iptables: " + l);
      }
    }
    grep("capstan", "nft", "list", "tables").forEach(l -> out.add("nft: " + l.strip()));
    Path netns = data.resolve("run/netns");
    if (Files.isDirectory(netns)) {
      try (var s = Files.list(netns)) {
        s.forEach(p -> out.add("netns: " + p));
      }
    }
    return out;
  }
}
