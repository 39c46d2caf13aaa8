package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Talking to running pods through {@code capstan server}: the API server proxies pods/log (and
 * exec, attach, portforward) to its node agent's API. kubectl logs with its options, Fabric8's
 * getLog/watchLog, the Python client's read_namespaced_pod_log, and the errors users see. Runs as
 * root under the host lock (it runs the node agent).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PodStreamsE2E {
  private static NodeHost host;
  private static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "the node agent runs containers as root");
    host = NodeHost.start();
    client = new KubernetesClientBuilder().withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(
        Files.readString(host.server.kubeconfig()))).build();
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: talk, labels: {app: talk}}
        spec:
          containers:
          - name: a
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'for i in 1 2 3 4 5; do echo "a$i"; done; echo oops >&2; exec sleep 3600']
          - name: b
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'echo b1; exec sleep 3600']
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: never}
        spec:
          containers:
          - name: main
            image: busybox:absent
            imagePullPolicy: Never
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: again}
        spec:
          containers:
          - name: main
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'echo "started $RANDOM"; sleep 1; exit 3']
        """);
    host.await("talk runs and has logged", () -> logs("talk", "-c", "a").contains("oops"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (host != null) {
      host.close();
    }
  }

  private static String logs(String... args) throws Exception {
    String[] all = new String[args.length + 1];
    all[0] = "logs";
    System.arraycopy(args, 0, all, 1, args.length);
    Kubectl.Result r = host.kubectl.run(all);
    return r.code() == 0 ? r.out() : "";
  }

  @Test
  @Order(1)
  void kubectlLogsWithItsOptions() throws Exception {
    assertEquals("a1\na2\na3\na4\na5\noops\n", host.kubectl.run("logs", "talk", "-c", "a").ok().out());
    assertEquals("a5\noops\n", host.kubectl.run("logs", "talk", "-c", "a", "--tail", "2").ok().out());
    assertEquals("a1\na2\na3\na4\na5\noops\n", host.kubectl.run("logs", "talk", "-c", "a", "--since", "1h").ok().out());
    assertEquals("", host.kubectl.run("logs", "talk", "-c", "a", "--since-time", "2100-01-01T00:00:00Z").ok().out());
    String stamped = host.kubectl.run("logs", "talk", "-c", "b", "--timestamps").ok().out();
    assertTrue(stamped.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z b1\n"), stamped);
    String all = host.kubectl.run("logs", "talk", "--all-containers=true").ok().out();
    assertTrue(all.contains("a3\n") && all.contains("b1\n"), all);
    String selected = host.kubectl.run("logs", "-l", "app=talk", "-c", "b").ok().out();
    assertEquals("b1\n", selected);
  }

  @Test
  @Order(2)
  void kubectlLogsErrors() throws Exception {
    Kubectl.Result noContainer = host.kubectl.run("logs", "talk", "-c", "zzz");
    assertNotEquals(0, noContainer.code());
    assertTrue(noContainer.err().contains("container zzz is not valid for pod talk"), noContainer.err());
    host.await("never is waiting", () -> host.get("pod", "never",
        "{.status.containerStatuses[0].state.waiting.reason}").equals("ErrImageNeverPull"));
    Kubectl.Result waiting = host.kubectl.run("logs", "never");
    assertNotEquals(0, waiting.code());
    assertTrue(waiting.err().contains("container \"main\" in pod \"never\" is waiting to start: ErrImageNeverPull"),
        waiting.err());
    Kubectl.Result noPrevious = host.kubectl.run("logs", "talk", "-c", "b", "--previous");
    assertNotEquals(0, noPrevious.code());
    assertTrue(noPrevious.err().contains("previous terminated container \"b\" in pod \"talk\" not found"),
        noPrevious.err());
  }

  @Test
  @Order(3)
  void previousAfterARestartAndFollowEndsWithTheContainer() throws Exception {
    host.await("again restarted", () -> {
      String n = host.get("pod", "again", "{.status.containerStatuses[0].restartCount}");
      return !n.isEmpty() && Integer.parseInt(n) >= 1;
    });
    String previous = host.kubectl.run("logs", "again", "--previous").ok().out();
    assertTrue(previous.matches("started \\d+\n"), previous);
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: count}
        spec:
          restartPolicy: Never
          containers:
          - name: main
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'sleep 2; for i in 1 2 3; do echo "n$i"; sleep 1; done']
        """);
    host.await("count runs", () -> host.get("pod", "count", "{.status.containerStatuses[0].state.running}").length() > 0);
    // -f returns once the container has exited and its log is drained (Kubectl.run bounds it)
    assertEquals("n1\nn2\nn3\n", host.kubectl.run("logs", "-f", "count").ok().out());
  }

  @Test
  @Order(4)
  void fabric8AndPythonReadLogs() throws Exception {
    assertEquals("b1\n", client.pods().inNamespace("default").withName("talk").inContainer("b").getLog());
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: watched}
        spec:
          restartPolicy: Never
          containers:
          - name: main
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'sleep 2; echo w1; sleep 1; echo w2']
        """);
    host.await("watched runs", () -> host.get("pod", "watched", "{.status.containerStatuses[0].state.running}")
        .length() > 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (LogWatch w = client.pods().inNamespace("default").withName("watched").watchLog(out)) {
      host.await("watchLog got both lines", () -> out.toString(StandardCharsets.UTF_8).equals("w1\nw2\n"));
    }
    Path script = Path.of(PodStreamsE2E.class.getResource("/python/pod_log.py").toURI());
    Path pyOut = Files.createTempFile("python", ".txt");
    try {
      Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), host.server.kubeconfig().toString(), "talk",
          "a").redirectErrorStream(true).redirectOutput(pyOut.toFile()).start();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python client finished");
      assertEquals(0, p.exitValue(), Files.readString(pyOut));
      assertEquals("a5\noops\n", Files.readString(pyOut));
    } finally {
      Files.deleteIfExists(pyOut);
    }
  }

  @Test
  @Order(5)
  void kubectlExecWithExitCodesStdinAndErrors() throws Exception {
    assertEquals("hi there\n", host.kubectl.run("exec", "talk", "-c", "a", "--", "echo", "hi", "there").ok().out());
    Kubectl.Result failed = host.kubectl.run("exec", "talk", "-c", "a", "--", "sh", "-c", "echo out; exit 7");
    assertEquals(7, failed.code(), failed.err());
    assertEquals("out\n", failed.out());
    assertTrue(failed.err().contains("command terminated with exit code 7"), failed.err());
    // kubectl's fallback protocol, plain SPDY (a POST upgrade), through the API server as well
    Kubectl.Result spdy = host.kubectl.run("piped\n", java.util.Map.of("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false"),
        "exec", "-i", "talk", "-c", "a", "--", "sh", "-c", "cat; exit 4");
    assertEquals(4, spdy.code(), spdy.err());
    assertEquals("piped\n", spdy.out());
    assertTrue(spdy.err().contains("command terminated with exit code 4"), spdy.err());
    assertEquals("piped\n", host.kubectl.runWithInput("piped\n", "exec", "-i", "talk", "-c", "a", "--", "cat").ok().out());
    Kubectl.Result missing = host.kubectl.run("exec", "talk", "-c", "zzz", "--", "true");
    assertNotEquals(0, missing.code());
    assertTrue(missing.err().contains("container zzz is not valid for pod talk"), missing.err());
    Kubectl.Result notRunning = host.kubectl.run("exec", "never", "--", "true");
    assertNotEquals(0, notRunning.code());
    assertTrue(notRunning.err().contains("container not found (\"main\")"), notRunning.err());
  }

  @Test
  @Order(6)
  void kubectlExecOnATerminal() throws Exception {
    // the terminal script makes is set to 123x45 first: kubectl sends that size, the command sees it
    String kubectl = "stty cols 123 rows 45; kubectl --kubeconfig " + host.server.kubeconfig() + " --cache-dir "
        + host.kubectl.home().resolve("cache") + " exec -it talk -c a -- sh -c 'read x; echo got:$x; tty; stty size'";
    Process p = new ProcessBuilder("script", "-qec", kubectl, "/dev/null").redirectErrorStream(true).start();
    p.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().flush();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> {
      try {
        p.getInputStream().transferTo(out);
      } catch (java.io.IOException e) {
        // process gone
      }
    });
    reader.start();
    boolean done = p.waitFor(120, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    reader.join(10_000);
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(done, "kubectl exec -it ended: " + text);
    assertTrue(text.contains("got:hello"), text);
    assertTrue(text.contains("/dev/pts/"), "the command runs on a terminal: " + text);
    assertTrue(text.contains("45 123"), "the terminal's size reached the command: " + text);
  }

  @Test
  @Order(7)
  void fabric8ExecReportsTheExitCode() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (io.fabric8.kubernetes.client.dsl.ExecWatch w = client.pods().inNamespace("default").withName("talk")
        .inContainer("a").writingOutput(out).exec("sh", "-c", "echo f8; exit 3")) {
      assertEquals(3, w.exitCode().get(60, TimeUnit.SECONDS));
    }
    assertEquals("f8\n", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  @Order(8)
  void kubectlAttachToAContainerWithStdin() throws Exception {
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: attached}
        spec:
          restartPolicy: Never
          containers:
          - name: main
            image: busybox:e2e
            imagePullPolicy: Never
            stdin: true
            stdinOnce: true
            command: [sh, -c, 'while read l; do echo "echo:$l"; done; echo bye']
        """);
    host.await("attached runs", () -> host.get("pod", "attached", "{.status.containerStatuses[0].state.running}")
        .length() > 0);
    Kubectl.Result r = host.kubectl.runWithInput("one\n", "attach", "-i", "attached");
    assertTrue(r.out().contains("bye"), r.out() + r.err());
    host.await("attached ended with its stdin", () -> host.get("pod", "attached",
        "{.status.containerStatuses[0].state.terminated.exitCode}").equals("0"));
    assertTrue(host.kubectl.run("logs", "attached").ok().out().contains("echo:one\n"));
  }

  @Test
  @Order(9)
  void kubectlPortForwardToAnOpenAndAClosedPort() throws Exception {
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: main
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'mkdir -p /www && echo hello-pf > /www/index.html && exec httpd -f -p 8080 -h /www']
        """);
    host.await("web runs", () -> host.get("pod", "web", "{.status.containerStatuses[0].state.running}").length() > 0);
    int open = CapstanServer.freePort();
    int closed = CapstanServer.freePort();
    Path output = Files.createTempFile("port-forward", ".txt");
    Process pf = host.kubectl.start(output, "port-forward", "pod/web", open + ":8080", closed + ":9999");
    try {
      host.await("port-forward listens", () -> Files.readString(output).contains("Forwarding from 127.0.0.1:" + closed));
      assertEquals("hello-pf\n", httpGet(open));
      try {
        httpGet(closed);
      } catch (java.io.IOException e) {
        // the connection is closed: expected
      }
      // kubectl 1.32 prints the error of the pod's side and then ends the whole forward by itself
      host.await("kubectl reports the refused port", () -> Files.readString(output).contains("9999"));
    } finally {
      pf.destroy();
      pf.waitFor(30, TimeUnit.SECONDS);
      Files.deleteIfExists(output);
    }
    // the same over plain SPDY (kubectl's fallback when WebSocket is refused)
    int spdyPort = CapstanServer.freePort();
    Path spdyOut = Files.createTempFile("port-forward-spdy", ".txt");
    Process spdy = host.kubectl.start(spdyOut, java.util.Map.of("KUBECTL_PORT_FORWARD_WEBSOCKETS", "false"),
        "port-forward", "pod/web", spdyPort + ":8080");
    try {
      host.await("SPDY port-forward listens", () -> Files.readString(spdyOut).contains("Forwarding from 127.0.0.1:"
          + spdyPort));
      assertEquals("hello-pf\n", httpGet(spdyPort));
      assertEquals("hello-pf\n", httpGet(spdyPort), "a second connection over the same SPDY session");
    } finally {
      spdy.destroy();
      spdy.waitFor(30, TimeUnit.SECONDS);
      Files.deleteIfExists(spdyOut);
    }
  }

  @Test
  @Order(100)
  void afterDeletingAllPodsNothingOfCapstansRemains() throws Exception {
    host.assertNothingLeftAfterDeletingAllPods(0);
  }

  private static String httpGet(int port) throws Exception {
    java.net.http.HttpClient c = java.net.http.HttpClient.newHttpClient();
    return c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/"))
        .timeout(java.time.Duration.ofSeconds(20)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
  }
}
