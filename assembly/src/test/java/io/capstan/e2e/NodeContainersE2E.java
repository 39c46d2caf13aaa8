package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What a pod's containers get from {@code capstan server}'s node agent, seen through kubectl and
 * the host (root only): /proc shows only the container's own processes, containers of one image
 * do not share files, containers of one pod talk over localhost, limits are in the container's
 * cgroup, init containers run first, a memory hog is OOMKilled and backs off, deletion honours
 * the grace period; and after all pods are deleted no mount, cgroup or process of capstan's is
 * left. One server runs every test in order; the last one checks that nothing remains.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeContainersE2E extends NodeHostE2E {
  @Test
  @Order(1)
  void procShowsOnlyTheContainersOwnProcesses() throws Exception {
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: procs}
        spec:
          restartPolicy: Never
          containers:
          - name: lister
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'for p in /proc/[0-9]*; do echo "pid ${p#/proc/} $(cat $p/comm)"; done']
          - name: other
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sleep, "3600"]
          """);
    host.await("the lister exited", () -> host.get("pod", "procs",
        "{.status.containerStatuses[?(@.name==\"lister\")].state.terminated.exitCode}").equals("0"));
    host.pids.add(host.pid("procs", "other"));
    assertEquals("pid 1 sh\n", host.logLines("procs", "lister"), "the shell sees itself only, as PID 1");
    assertTrue(ProcessHandle.allProcesses().count() > 10, "the host has many more processes");
  }

  @Test
  @Order(2)
  void aFileWrittenInOneContainerIsNotInAnotherOfTheSameImage() throws Exception {
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: files}
        spec:
          containers:
          - name: writer
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'echo secret > /tmp/secret && echo written && exec sleep 3600']
          - name: reader
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sleep, "3600"]
          """);
    host.await("both containers run", () -> host.get("pod", "files",
        "{.status.containerStatuses[*].state.running.startedAt}")
        .split(" ").length == 2 && host.logLines("files", "writer").equals("written\n"));
    long writer = host.pid("files", "writer");
    long reader = host.pid("files", "reader");
    host.pids.add(writer);
    host.pids.add(reader);
    assertEquals("secret\n", Files.readString(Path.of("/proc/" + writer + "/root/tmp/secret")));
    assertTrue(Files.isRegularFile(Path.of("/proc/" + reader + "/root/bin/busybox")), "the reader's root is the image");
    assertFalse(Files.exists(Path.of("/proc/" + reader + "/root/tmp/secret")), "the reader sees no /tmp/secret");
  }

  @Test
  @Order(3)
  void containersOfOnePodTalkOverLocalhost() throws Exception {
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: talk}
        spec:
          containers:
          - name: server
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'while true; do echo pong-from-server | nc -l -p 8080; done']
          - name: client
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'until nc 127.0.0.1 8080 </dev/null >/tmp/o 2>/dev/null && [ -s /tmp/o ]; do sleep 0.2; done; cat /tmp/o; exec sleep 3600']
          """);
    host.await("the client got the server's answer",
        () -> host.logLines("talk", "client").equals("pong-from-server\n"));
    host.pids.add(host.pid("talk", "server"));
    host.pids.add(host.pid("talk", "client"));
  }

  @Test
  @Order(4)
  void limitsAreInTheContainersCgroup() throws Exception {
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: limited}
        spec:
          containers:
          - name: main
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sleep, "3600"]
            resources:
              limits: {cpu: 250m, memory: 64Mi}
          """);
    host.await("it runs", () -> host.get("pod", "limited", "{.status.phase}").equals("Running"));
    long pid = host.pid("limited", "main");
    host.pids.add(pid);
    String memory = null;
    String quota = null;
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
      String[] f = line.split(":", 3);
      List<String> controllers = List.of(f[1].split(","));
      if (controllers.contains("memory") || controllers.contains("cpu") || f[1].isEmpty()) {
        assertTrue(f[2].contains("/" + host.cgroupRoot + "/pods/"),
            "the container's cgroup is below the agent's: " + line);
      }
      Path dir = Path.of("/sys/fs/cgroup", f[1].isEmpty() ? "" : f[1], f[2]);
      if (f[1].isEmpty() && Files.exists(dir.resolve("memory.max"))) { // cgroup v2
        memory = Files.readString(dir.resolve("memory.max")).trim();
        quota = Files.readString(dir.resolve("cpu.max")).trim().replace(" ", "/");
      } else if (controllers.contains("memory")) {
        memory = Files.readString(dir.resolve("memory.limit_in_bytes")).trim();
      } else if (controllers.contains("cpu")) {
        quota = Files.readString(dir.resolve("cpu.cfs_quota_us")).trim() + "/"
            + Files.readString(dir.resolve("cpu.cfs_period_us")).trim();
      }
    }
    assertEquals(String.valueOf(64L << 20), memory, "memory limit");
    assertEquals("25000/100000", quota, "cpu quota/period");
  }

  @Test
  @Order(5)
  void initContainersRunFirstInOrder() throws Exception {
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: inits}
        spec:
          initContainers:
          - name: first
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'echo first; sleep 1']
          - name: second
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'echo second; sleep 1']
          containers:
          - name: app
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'echo app; exec sleep 3600']
          """);
    host.await("the app runs", () -> host.logLines("inits", "app").equals("app\n"));
    host.pids.add(host.pid("inits", "app"));
    Instant first = host.logTime("inits", "first");
    Instant second = host.logTime("inits", "second");
    Instant app = host.logTime("inits", "app");
    assertTrue(first.plusMillis(900).isBefore(second), "second starts after first's 1 s: " + first + " " + second);
    assertTrue(second.plusMillis(900).isBefore(app), "app starts after second's 1 s: " + second + " " + app);
    String finished = host.get("pod", "inits", "{.status.initContainerStatuses[1].state.terminated.finishedAt}");
    String started = host.get("pod", "inits", "{.status.containerStatuses[0].state.running.startedAt}");
    assertFalse(Instant.parse(started).isBefore(Instant.parse(finished)), finished + " <= " + started);
    assertEquals("Completed Completed",
        host.get("pod", "inits", "{.status.initContainerStatuses[*].state.terminated.reason}"));
    assertEquals("True", host.get("pod", "inits", "{.status.conditions[?(@.type==\"Initialized\")].status}"));
  }

  @Test
  @Order(6)
  void aMemoryHogIsOomKilledRestartedAndBacksOff() throws Exception {
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: hog}
        spec:
          containers:
          - name: hog
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'x=aaaaaaaa; while true; do x=$x$x; done']
            resources:
              limits: {memory: 32Mi}
          """);
    host.await("OOMKilled", () -> host.get("pod", "hog", "{.status.containerStatuses[0].lastState.terminated.reason}")
        .equals("OOMKilled"));
    assertEquals("137", host.get("pod", "hog", "{.status.containerStatuses[0].lastState.terminated.exitCode}"));
    host.await("CrashLoopBackOff in kubectl get pods", () -> {
      Kubectl.Result r = host.kubectl.run("get", "pods", "hog");
      return r.code() == 0 && r.out().contains("CrashLoopBackOff");
    });
    assertTrue(Integer.parseInt(host.get("pod", "hog", "{.status.containerStatuses[0].restartCount}")) >= 1);
    assertEquals("OOMKilled", host.get("pod", "hog", "{.status.containerStatuses[0].lastState.terminated.reason}"));
  }

  @Test
  @Order(7)
  void deletionHonoursTheGracePeriod() throws Exception {
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: trapper}
        spec:
          containers:
          - name: main
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'trap "sleep 3; exit 0" TERM; echo trapping; while true; do sleep 0.2; done']
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: ignorer}
        spec:
          terminationGracePeriodSeconds: 2
          containers:
          - name: main
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sleep, "3600"]
          """);
    host.await("the trap is set", () -> host.logLines("trapper", "main").equals("trapping\n"));
    host.await("the ignorer runs", () -> host.get("pod", "ignorer", "{.status.phase}").equals("Running"));
    long trapper = host.pid("trapper", "main");
    long ignorer = host.pid("ignorer", "main");
    host.pids.add(trapper);
    host.pids.add(ignorer);

    long start = System.nanoTime();
    host.kubectl.run("delete", "pod", "trapper").ok(); // kubectl waits until the pod is gone
    long trapperMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(trapperMs >= 3000, "the TERM trap's 3 s sleep ran: deleted after " + trapperMs + " ms");
    assertTrue(trapperMs < 25_000, "well within the 30 s grace period: " + trapperMs + " ms");
    assertFalse(ProcessHandle.of(trapper).isPresent(), "the trapper's process is gone");
    assertTrue(host.kubectl.run("get", "pod", "trapper").err().contains("NotFound"));

    start = System.nanoTime();
    host.kubectl.run("delete", "pod", "ignorer").ok();
    long ignorerMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ignorerMs >= 2000, "SIGKILL only after the 2 s grace period: " + ignorerMs + " ms");
    assertTrue(ignorerMs < 20_000, "killed soon after the grace period, not after 30 s: " + ignorerMs + " ms");
    assertFalse(ProcessHandle.of(ignorer).isPresent(), "the ignorer's process is gone");
  }

  @Test
  @Order(8)
  void aSharedProcessNamespaceShowsTheOtherContainersProcesses() throws Exception {
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: shared-pids}
        spec:
          restartPolicy: Never
          shareProcessNamespace: true
          containers:
          - name: sleeper
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sleep, "3600"]
          - name: lister
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'sleep 1; for p in /proc/[0-9]*; do echo "$(cat $p/comm)"; done | sort']
          """);
    host.await("the lister exited", () -> host.get("pod", "shared-pids",
        "{.status.containerStatuses[?(@.name==\"lister\")].state.terminated.exitCode}").equals("0"));
    host.pids.add(host.pid("shared-pids", "sleeper"));
    String seen = host.logLines("shared-pids", "lister");
    assertTrue(seen.contains("sleep\n"), "the lister sees the other container's sleep:\n" + seen);
  }

  @Test
  @Order(9)
  void safeSysctlsAreSetAndUnsafeOnesRefused() throws Exception {
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: sysctls}
        spec:
          restartPolicy: Never
          securityContext:
            sysctls:
            - {name: net.ipv4.ip_unprivileged_port_start, value: "80"}
          containers:
          - name: main
            image: busybox:e2e
            imagePullPolicy: Never
            command: [cat, /proc/sys/net/ipv4/ip_unprivileged_port_start]
          """);
    host.await("the container exited", () -> host.get("pod", "sysctls",
        "{.status.containerStatuses[0].state.terminated.exitCode}").equals("0"));
    assertEquals("80\n", host.logLines("sysctls", "main"));
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: unsafe-sysctl}
        spec:
          restartPolicy: Never
          securityContext:
            sysctls:
            - {name: net.core.somaxconn, value: "1024"}
          containers:
          - name: main
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sleep, "3600"]
          """);
    host.await("the sandbox is refused with a clear event", () -> host.events("unsafe-sysctl")
        .contains("forbidden sysctl: \"net.core.somaxconn\" not allowlisted"));
    assertEquals("", host.get("pod", "unsafe-sysctl", "{.status.containerStatuses[0].state.running}"));
  }

  @Test
  @Order(100)
  void afterDeletingAllPodsNothingOfCapstansRemains() throws Exception {
    host.assertNothingLeftAfterDeletingAllPods(9);
  }
}
