package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Container probes with {@code capstan server}'s node agent, seen through kubectl (root only): an
 * exec liveness probe that starts failing restarts the container with kubelet's Unhealthy and
 * Killing events; an httpGet readiness probe flips the pod's Ready condition and takes it out of,
 * then back into, its Service's EndpointSlice; a startup probe holds back a liveness probe that
 * would fail; a tcpSocket readiness probe on a named port waits for the server to listen. The
 * probes' files are changed from the host inside the container's mount namespace.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProbesE2E extends NodeHostE2E {
  private static String status(String pod, String jsonpath) throws Exception {
    return host.get("pod", pod, jsonpath);
  }

  private static String condition(String pod, String type) throws Exception {
    return status(pod, "{.status.conditions[?(@.type==\"" + type + "\")].status}");
  }

  /** Runs a command in the running container {@code container} of {@code pod}, as it sees its files. */
  private static void inContainer(String pod, String container, String... argv) throws Exception {
    PodShell.Out o = PodShell.exec(host.pid(pod, container), argv);
    assertEquals(0, o.code(), o.out());
  }

  /** "reason: message" of the events about {@code pod}, oldest first. */
  private static String events(String pod) throws Exception {
    return host.kubectl.run("get", "events", "--field-selector", "involvedObject.name=" + pod,
        "--sort-by=.firstTimestamp", "-o", "jsonpath={range .items[*]}{.reason}: {.message}{\"\\n\"}{end}").out();
  }

  @Test
  @Order(1)
  void aFailingLivenessProbeRestartsTheContainer() throws Exception {
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: live}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: app
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'touch /tmp/healthy && exec sleep 3600']
            livenessProbe:
              exec: {command: [cat, /tmp/healthy]}
              periodSeconds: 1
              failureThreshold: 2
        """);
    host.await("the container runs", () -> !status("live", "{.status.containerStatuses[0].state.running}").isEmpty());
    host.pids.add(host.pid("live", "app"));
    assertEquals("0", status("live", "{.status.containerStatuses[0].restartCount}"));
    assertEquals("True", condition("live", "Ready"), "no readiness probe: ready once running");

    inContainer("live", "app", "rm", "/tmp/healthy");
    host.await("restarted once", () -> status("live", "{.status.containerStatuses[0].restartCount}").equals("1")
        && !status("live", "{.status.containerStatuses[0].state.running}").isEmpty());
    host.pids.add(host.pid("live", "app"));
    String lastState = status("live", "{.status.containerStatuses[0].lastState.terminated.exitCode}");
    assertTrue(lastState.equals("137") || lastState.equals("143"), "killed: " + lastState);
    host.await("kubelet's events", () -> events("live").contains(
        "Killing: Container app failed liveness probe, will be restarted"));
    String events = events("live");
    int unhealthy = events.indexOf("Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': "
        + "No such file or directory");
    assertTrue(unhealthy >= 0, events);
    assertTrue(unhealthy < events.indexOf("Killing: Container app failed liveness probe"), events);
    // the new instance made its file again: it stays alive
    host.await("running again and ready", () -> "True".equals(condition("live", "Ready")));
    assertEquals("1", status("live", "{.status.containerStatuses[0].restartCount}"));
  }

  @Test
  @Order(2)
  void readinessTakesThePodOutOfItsServiceAndBack() throws Exception {
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web, labels: {app: probed}}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: httpd
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'mkdir -p /www && echo ok > /www/healthz && exec httpd -f -p 8080 -h /www']
            readinessProbe:
              httpGet: {path: /healthz, port: 8080}
              periodSeconds: 1
              failureThreshold: 1
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: probed}
        spec:
          selector: {app: probed}
          ports: [{port: 8080, targetPort: 8080}]
        """);
    String ready = "{.items[*].endpoints[?(@.conditions.ready==true)].targetRef.name}";
    host.await("ready and an endpoint", () -> "True".equals(condition("web", "Ready"))
        && host.get("endpointslices", "", ready).contains("web"));
    host.pids.add(host.pid("web", "httpd"));
    assertEquals("true", status("web", "{.status.containerStatuses[0].ready}"));

    inContainer("web", "httpd", "rm", "/www/healthz");
    host.await("unready and out of the service", () -> "False".equals(condition("web", "Ready"))
        && !host.get("endpointslices", "", ready).contains("web"));
    assertEquals("False", condition("web", "ContainersReady"));
    assertEquals("false", status("web", "{.status.containerStatuses[0].ready}"));
    assertEquals("0", status("web", "{.status.containerStatuses[0].restartCount}"), "readiness never restarts");
    host.await("the Unhealthy event", () -> events("web").contains(
        "Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 404"));

    inContainer("web", "httpd", "sh", "-c", "echo ok > /www/healthz");
    host.await("ready and an endpoint again", () -> "True".equals(condition("web", "Ready"))
        && host.get("endpointslices", "", ready).contains("web"));
  }

  @Test
  @Order(3)
  void aStartupProbeHoldsLivenessBack() throws Exception {
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: slow}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: app
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sleep, "3600"]
            startupProbe:
              exec: {command: [cat, /tmp/started]}
              periodSeconds: 1
              failureThreshold: 600
            livenessProbe:
              exec: {command: [cat, /tmp/started]}
              periodSeconds: 1
              failureThreshold: 1
        """);
    host.await("the startup probe failed", () -> events("slow").contains("Unhealthy: Startup probe failed: cat: "
        + "can't open '/tmp/started': No such file or directory"));
    host.pids.add(host.pid("slow", "app"));
    assertEquals("false", status("slow", "{.status.containerStatuses[0].started}"));
    assertEquals("False", condition("slow", "Ready"), "not ready before started");
    assertEquals("0", status("slow", "{.status.containerStatuses[0].restartCount}"));
    assertFalse(events("slow").contains("Liveness probe failed"), "liveness waits for startup");

    inContainer("slow", "app", "touch", "/tmp/started");
    host.await("started and ready", () -> "true".equals(status("slow", "{.status.containerStatuses[0].started}"))
        && "True".equals(condition("slow", "Ready")));
    assertEquals("0", status("slow", "{.status.containerStatuses[0].restartCount}"));
    assertFalse(events("slow").contains("Liveness probe failed"), events("slow"));
  }

  @Test
  @Order(4)
  void tcpSocketReadinessWaitsForTheServerToListen() throws Exception {
    host.apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: tcp}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: server
            image: busybox:e2e
            imagePullPolicy: Never
            command: [sh, -c, 'until [ -e /tmp/go ]; do sleep 0.2; done; mkdir -p /www; exec httpd -f -p 9090 -h /www']
            ports: [{name: serve, containerPort: 9090}]
            readinessProbe:
              tcpSocket: {port: serve}
              periodSeconds: 1
              failureThreshold: 1
        """);
    host.await("the refused connection", () -> events("tcp").contains("Unhealthy: Readiness probe failed: dial tcp "));
    host.pids.add(host.pid("tcp", "server"));
    String podIp = status("tcp", "{.status.podIP}");
    assertTrue(events("tcp").contains("dial tcp " + podIp + ":9090: connect: connection refused"), events("tcp"));
    assertEquals("False", condition("tcp", "Ready"));

    inContainer("tcp", "server", "touch", "/tmp/go");
    host.await("ready once it listens", () -> "True".equals(condition("tcp", "Ready")));
  }

  @Test
  @Order(5)
  void nothingIsLeftAfterDeletingThePods() throws Exception {
    host.kubectl.run("delete", "service", "probed").ok();
    host.assertNothingLeftAfterDeletingAllPods(4);
  }
}
