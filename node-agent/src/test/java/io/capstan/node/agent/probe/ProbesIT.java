package io.capstan.node.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.capstan.node.agent.AgentFixture;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Probes through the whole agent (in-process API server, fake runtime): readiness drives
 * containerStatuses[].ready and the Ready condition, a liveness failure kills and restarts the
 * container with kubelet's events, and a startup probe holds liveness back. The probes reach a
 * local HTTP server and sockets (the fake runtime has no pod network).
 */
class ProbesIT {
    static AgentFixture f;
    static HttpServer http;
    /** Status code answered per path (default 200), and hits per path. */
    static final Map<String, Integer> codes = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        f = AgentFixture.start();
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
            ex.sendResponseHeaders(codes.getOrDefault(path, 200), -1);
            ex.close();
        });
        http.start();
    }

    @AfterAll
    static void stop() {
        if (http != null) {
            http.stop(0);
        }
        f.close();
    }

    static Probe httpGet(String path) {
        return new ProbeBuilder().withNewHttpGet().withHost("127.0.0.1").withPath(path)
                .withPort(new IntOrString(http.getAddress().getPort())).endHttpGet()
                .withPeriodSeconds(1).withFailureThreshold(1).build();
    }

    static Pod create(String ns, ContainerBuilder app) {
        Pod pod = new PodBuilder().withNewMetadata().withNamespace(ns).withName("web").endMetadata()
                .withNewSpec().withNodeName(AgentFixture.NODE).withTerminationGracePeriodSeconds(1L)
                .withContainers(app.withName("app").withImage(AgentFixture.IMAGE).withCommand("sleep", "3600").build())
                .endSpec().build();
        return f.client.pods().resource(pod).create();
    }

    static Pod get(String ns) {
        return f.pod(ns, "web");
    }

    static ContainerStatus app(Pod p) {
        return p == null || p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? null
                : p.getStatus().getContainerStatuses().stream().findFirst().orElse(null);
    }

    static String condition(Pod p, String type) {
        return p == null || p.getStatus() == null || p.getStatus().getConditions() == null ? null
                : p.getStatus().getConditions().stream().filter(c -> type.equals(c.getType()))
                        .map(PodCondition::getStatus).findFirst().orElse(null);
    }

    static boolean running(Pod p) {
        ContainerStatus s = app(p);
        return s != null && s.getState().getRunning() != null;
    }

    static List<String> events(String ns) {
        return f.client.v1().events().inNamespace(ns).list().getItems().stream()
                .map(e -> e.getReason() + ": " + e.getMessage()).toList();
    }

    @Test
    void readinessFlipsReadyAndTheReadyCondition() {
        String ns = Clients.namespace(f.client, "ready");
        String path = "/ready-" + ns;
        create(ns, new ContainerBuilder().withReadinessProbe(httpGet(path)));
        Await.until("ready", () -> "True".equals(condition(get(ns), "Ready")), () -> String.valueOf(get(ns)));
        assertTrue(app(get(ns)).getReady());
        assertTrue(app(get(ns)).getStarted());

        codes.put(path, 503);
        Await.until("unready", () -> "False".equals(condition(get(ns), "Ready")), () -> String.valueOf(get(ns)));
        Pod p = get(ns);
        assertFalse(app(p).getReady());
        assertTrue(running(p), "readiness never restarts the container");
        assertEquals("False", condition(p, "ContainersReady"));
        assertEquals("containers with unready status: [app]", p.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType())).findFirst().orElseThrow().getMessage());
        Await.until("the failure event", () -> events(ns).contains(
                "Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503"), () -> "" + events(ns));

        codes.remove(path);
        Await.until("ready again", () -> "True".equals(condition(get(ns), "Ready")), () -> String.valueOf(get(ns)));
        assertEquals(0, app(get(ns)).getRestartCount());
    }

    @Test
    void tcpSocketReadinessFollowsAListeningPort() throws IOException {
        String ns = Clients.namespace(f.client, "tcp");
        int port;
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            port = listening.getLocalPort();
            create(ns, new ContainerBuilder().withReadinessProbe(new ProbeBuilder().withNewTcpSocket()
                    .withHost("127.0.0.1").withPort(new IntOrString(port)).endTcpSocket().withPeriodSeconds(1)
                    .withFailureThreshold(1).build()));
            Await.until("ready", () -> "True".equals(condition(get(ns), "Ready")), () -> String.valueOf(get(ns)));
        }
        Await.until("unready once the port is closed", () -> "False".equals(condition(get(ns), "Ready")),
                () -> String.valueOf(get(ns)));
        Await.until("the failure event", () -> events(ns).contains("Unhealthy: Readiness probe failed: dial tcp "
                + "127.0.0.1:" + port + ": connect: connection refused"), () -> "" + events(ns));
    }

    @Test
    void aLivenessFailureKillsAndRestartsTheContainer() {
        String ns = Clients.namespace(f.client, "live");
        String path = "/live-" + ns;
        codes.put(path, 500);
        create(ns, new ContainerBuilder().withLivenessProbe(httpGet(path)));
        Await.until("restarted", () -> app(get(ns)) != null && app(get(ns)).getRestartCount() >= 1,
                () -> String.valueOf(get(ns)));
        ContainerStatus s = app(get(ns));
        assertTrue(s.getLastState().getTerminated() != null, String.valueOf(s));
        Await.until("kubelet's events", () -> events(ns).containsAll(List.of(
                "Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500",
                "Killing: Container app failed liveness probe, will be restarted")), () -> "" + events(ns));
        assertTrue(f.runtime.events().contains("stop app 2s"), "the pod's 1 s grace, raised to kubelet's 2 s minimum");
    }

    @Test
    void aStartupProbeHoldsLivenessAndReadinessBack() {
        String ns = Clients.namespace(f.client, "startup");
        String startup = "/startup-" + ns;
        String live = "/live-" + ns;
        codes.put(startup, 503);
        codes.put(live, 500);
        create(ns, new ContainerBuilder()
                .withStartupProbe(new ProbeBuilder(httpGet(startup)).withFailureThreshold(1000).build())
                .withLivenessProbe(httpGet(live)));
        Await.until("three startup probes", () -> hits.getOrDefault(startup, new AtomicInteger()).get() >= 3);
        Pod p = get(ns);
        assertTrue(running(p));
        assertFalse(app(p).getStarted());
        assertFalse(app(p).getReady());
        assertEquals("False", condition(p, "Ready"));
        assertEquals(0, hits.getOrDefault(live, new AtomicInteger()).get(), "liveness waits for startup");
        assertEquals(0, app(p).getRestartCount());

        codes.put(startup, 200);
        Await.until("started", () -> app(get(ns)).getStarted(), () -> String.valueOf(get(ns)));
        Await.until("then liveness runs and kills", () -> app(get(ns)).getRestartCount() >= 1,
                () -> String.valueOf(get(ns)));
    }

    @Test
    void aStartupFailureKillsTheContainer() {
        String ns = Clients.namespace(f.client, "startfail");
        String path = "/startfail-" + ns;
        codes.put(path, 500);
        create(ns, new ContainerBuilder().withStartupProbe(httpGet(path)));
        Await.until("restarted", () -> app(get(ns)) != null && app(get(ns)).getRestartCount() >= 1,
                () -> String.valueOf(get(ns)));
        Await.until("kubelet's events", () -> events(ns).contains(
                "Killing: Container app failed startup probe, will be restarted"), () -> "" + events(ns));
    }

    @Test
    void aRestartedAgentKeepsAReadyPodReady() throws Exception {
        String ns = Clients.namespace(f.client, "restart");
        create(ns, new ContainerBuilder().withReadinessProbe(new ProbeBuilder(httpGet("/restart-" + ns))
                .withPeriodSeconds(3).build()));
        Await.until("ready", () -> "True".equals(condition(get(ns), "Ready")), () -> String.valueOf(get(ns)));
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var watch = f.client.pods().inNamespace(ns).withName("web").watch(new Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                seen.add(condition(pod, "Ready"));
            }

            @Override
            public void onClose(WatcherException cause) {}
        })) {
            int probes = hits.get("/restart-" + ns).get();
            f.restartAgent();
            Await.until("the new agent probed", () -> hits.get("/restart-" + ns).get() > probes);
            // the watch has time to deliver what the new agent's first syncs wrote
            Await.holds("ready", () -> "True".equals(condition(get(ns), "Ready")), java.time.Duration.ofSeconds(1),
                    () -> String.valueOf(get(ns)));
        }
        assertFalse(seen.contains("False"), "Ready went False over the restart: " + seen);
        assertEquals(0, app(get(ns)).getRestartCount(), "the running container was adopted");
    }

    @Test
    void theAppWaitsForASidecarsStartupProbe() {
        String ns = Clients.namespace(f.client, "sidecar");
        String path = "/sidecar-" + ns;
        codes.put(path, 503);
        Pod pod = new PodBuilder().withNewMetadata().withNamespace(ns).withName("web").endMetadata()
                .withNewSpec().withNodeName(AgentFixture.NODE).withTerminationGracePeriodSeconds(1L)
                .addNewInitContainer().withName("proxy").withImage(AgentFixture.IMAGE).withCommand("sleep", "3600")
                .withRestartPolicy("Always")
                .withStartupProbe(new ProbeBuilder(httpGet(path)).withFailureThreshold(1000).build()).endInitContainer()
                .addNewContainer().withName("app").withImage(AgentFixture.IMAGE).withCommand("sleep", "3600")
                .endContainer().endSpec().build();
        f.client.pods().resource(pod).create();
        Await.until("two startup probes of the sidecar", () -> hits.getOrDefault(path, new AtomicInteger()).get() >= 2);
        Pod p = get(ns);
        ContainerStatus proxy = p.getStatus().getInitContainerStatuses().get(0);
        assertTrue(proxy.getState().getRunning() != null && !proxy.getStarted(), String.valueOf(proxy));
        assertTrue(app(p).getState().getWaiting() != null, "the app waits: " + app(p));
        assertEquals("False", condition(p, "Initialized"));

        codes.remove(path);
        Await.until("the app runs", () -> running(get(ns)), () -> String.valueOf(get(ns)));
        Await.until("ready", () -> "True".equals(condition(get(ns), "Ready")), () -> String.valueOf(get(ns)));
    }
}
