package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** {@code capstan simulate} against {@code capstan server}, seen through kubectl. */
class SimulateE2E {
  private static final String READY = "jsonpath={range .items[*]}{.metadata.name}="
      + "{.status.conditions[?(@.type==\"Ready\")].status} {end}";

  @Test
  void simulatedNodesRegisterRunPodsAndGoNotReadyWhenStopped() throws Exception {
    try (CapstanServer server = CapstanServer.start("--node-monitor-grace-period", "5s")) {
      Kubectl kubectl = new Kubectl(server.kubeconfig());
      Process sim = simulate("--kubeconfig", server.kubeconfig().toString(), "--nodes", "3",
          "--lease-renew-interval", "500ms");
      try {
        String first = announcement(sim);
        assertTrue(first.startsWith("capstan simulate running 3 nodes (sim-0 .. sim-2)"), first);
        assertEquals("sim-0=True sim-1=True sim-2=True",
            await(kubectl, List.of("get", "nodes", "-l", "type=simulated", "-o", READY),
                s -> s.equals("sim-0=True sim-1=True sim-2=True")));
        String table = kubectl.run("get", "nodes").ok().out();
        assertTrue(table.lines().anyMatch(l -> l.startsWith("sim-1") && l.contains(" Ready ")), table);
        Path pod = Files.createTempFile("pod", ".yaml");
        Files.writeString(pod, """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: default}
            spec:
              nodeName: sim-1
              containers: [{name: web, image: "registry.local:5000/web:1"}]
            """);
        kubectl.run("apply", "-f", pod.toString()).ok();
        Files.delete(pod);
        String ip = await(kubectl, List.of("get", "pod", "web", "-o", "jsonpath={.status.phase} {.status.podIP}"),
            s -> s.startsWith("Running 10.244.1."));
        assertTrue(ip.startsWith("Running 10.244.1."), ip);
      } finally {
        sim.destroy();
        assertTrue(sim.waitFor(30, TimeUnit.SECONDS), "simulate did not stop on SIGTERM");
      }
      String dead = await(kubectl, List.of("get", "nodes", "-l", "type=simulated", "-o", READY),
          s -> s.equals("sim-0=Unknown sim-1=Unknown sim-2=Unknown"));
      assertEquals("sim-0=Unknown sim-1=Unknown sim-2=Unknown", dead);
      String table = kubectl.run("get", "nodes").ok().out();
      assertTrue(table.lines().anyMatch(l -> l.startsWith("sim-0") && l.contains("NotReady")), table);
    }
  }

  @Test
  void badFlagsAreOneLineAndExitTwo() throws Exception {
    Process p = simulate("--kubeconfig", "/nonexistent/kubeconfig", "--nodes", "many");
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(2, p.exitValue(), out);
    assertEquals("capstan: invalid --nodes \"many\" (expected a whole number from 1 to 10000)", out);
  }

  /** The line where simulate says it runs; keeps draining its output afterwards. */
  private static String announcement(Process sim) throws Exception {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          lines.add(line);
        }
      } catch (java.io.IOException e) {
        // the process ended
      }
    });
    pump.setDaemon(true);
    pump.start();
    StringBuilder seen = new StringBuilder();
    for (int i = 0; i < 600; i++) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (line != null && line.startsWith("capstan simulate running")) {
        return line;
      }
      if (line != null) {
        seen.append(line).append('\n');
      }
    }
    return "no announcement; output: " + seen;
  }

  private static Process simulate(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-jar",
        System.getProperty("capstan.jar"), "simulate"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** Polls kubectl until its output satisfies {@code done} (60 s at most); returns the last output. */
  private static String await(Kubectl kubectl, List<String> args, Predicate<String> done) throws Exception {
    String out = "";
    for (int i = 0; i < 300; i++) {
      out = kubectl.run(args.toArray(String[]::new)).out().trim();
      if (done.test(out)) {
        return out;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    return out;
  }
}
