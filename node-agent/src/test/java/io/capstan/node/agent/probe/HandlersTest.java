package io.capstan.node.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.capstan.controllers.testing.MutableClock;
import io.capstan.node.cri.ContainerSpec;
import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.cri.SandboxSpec;
import io.capstan.node.testing.FakeContainerRuntime;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.TCPSocketActionBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exec, httpGet and tcpSocket handlers against a fake runtime and local servers. */
class HandlersTest {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    HttpServer server;
    int port;
    final Map<String, String> seen = new ConcurrentHashMap<>();
    final CountDownLatch release = new CountDownLatch(1);
    final Container container = new ContainerBuilder().withName("app")
            .addNewPort().withName("web").withContainerPort(8080).endPort().build();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            seen.put("path", ex.getRequestURI().toString());
            seen.put("user-agent", String.valueOf(ex.getRequestHeaders().getFirst("User-Agent")));
            seen.put("accept", String.valueOf(ex.getRequestHeaders().getFirst("Accept")));
            seen.put("host", String.valueOf(ex.getRequestHeaders().getFirst("Host")));
            seen.put("x-probe", String.valueOf(ex.getRequestHeaders().getFirst("X-Probe")));
            int code = 200;
            String body = "ok";
            switch (path) {
                case "/fail" -> code = 500;
                case "/here" -> {
                    code = 302;
                    ex.getResponseHeaders().add("Location", "/healthz?from=here");
                }
                case "/elsewhere" -> {
                    code = 301;
                    ex.getResponseHeaders().add("Location", "http://localhost:" + port + "/healthz");
                    body = "moved";
                }
                case "/loop" -> {
                    code = 302;
                    ex.getResponseHeaders().add("Location", "/loop");
                }
                case "/slow" -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                default -> { }
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(code, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    Outcome http(String path, Duration timeout, io.fabric8.kubernetes.api.model.HTTPHeader... headers) {
        HTTPGetAction a = new HTTPGetActionBuilder().withPath(path).withPort(new IntOrString(port))
                .withHttpHeaders(headers).build();
        return new HttpProbe().probe(a, container, "127.0.0.1", timeout);
    }

    @Test
    void httpSuccessSendsKubeletsHeadersToThePodIp() {
        Outcome o = http("/healthz", TIMEOUT);
        assertEquals(Outcome.Status.SUCCESS, o.status(), o.output());
        assertEquals("kube-probe/1.32", seen.get("user-agent"));
        assertEquals("*/*", seen.get("accept"));
        assertEquals("127.0.0.1:" + port, seen.get("host"));
        assertEquals("/healthz", seen.get("path"));
    }

    @Test
    void httpHeadersOfTheProbeWinIncludingHost() {
        Outcome o = http("/healthz", TIMEOUT, new io.fabric8.kubernetes.api.model.HTTPHeader("Host", "web.example"),
                new io.fabric8.kubernetes.api.model.HTTPHeader("X-Probe", "yes"),
                new io.fabric8.kubernetes.api.model.HTTPHeader("User-Agent", "mine"));
        assertEquals(Outcome.Status.SUCCESS, o.status(), o.output());
        assertEquals("web.example", seen.get("host"));
        assertEquals("yes", seen.get("x-probe"));
        assertEquals("mine", seen.get("user-agent"));
    }

    @Test
    void httpErrorStatusFails() {
        Outcome o = http("/fail", TIMEOUT);
        assertEquals(Outcome.failure("HTTP probe failed with statuscode: 500"), o);
    }

    @Test
    void httpRedirectsAreFollowedOnTheSameHostOnly() {
        Outcome same = http("/here", TIMEOUT);
        assertEquals(Outcome.Status.SUCCESS, same.status(), same.output());
        assertEquals("/healthz?from=here", seen.get("path"));

        Outcome other = http("/elsewhere", TIMEOUT);
        assertEquals(Outcome.warning("Probe terminated redirects, Response body: moved"), other);
        assertEquals("/elsewhere", seen.get("path"), "localhost is another host name: not followed");

        Outcome loop = http("/loop", TIMEOUT);
        assertEquals(Outcome.Status.FAILURE, loop.status());
        assertTrue(loop.output().endsWith("stopped after 10 redirects"), loop.output());
    }

    @Test
    void httpTimesOut() {
        Outcome o = http("/slow", Duration.ofMillis(300));
        assertEquals(Outcome.Status.FAILURE, o.status());
        assertTrue(o.output().contains("Client.Timeout exceeded"), o.output());
    }

    @Test
    void httpToAClosedPortIsRefused() throws IOException {
        int closed = freePort();
        HTTPGetAction a = new HTTPGetActionBuilder().withPort(new IntOrString(closed)).build();
        Outcome o = new HttpProbe().probe(a, container, "127.0.0.1", TIMEOUT);
        assertEquals(Outcome.failure("Get \"http://127.0.0.1:" + closed + "/\": dial tcp 127.0.0.1:" + closed
                + ": connect: connection refused"), o);
    }

    @Test
    void tcpConnectsOrIsRefused() throws IOException {
        try (ServerSocket listening = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            var ok = new TcpProbe().probe(new TCPSocketActionBuilder().withPort(new IntOrString(
                    listening.getLocalPort())).build(), container, "127.0.0.1", TIMEOUT);
            assertEquals(Outcome.Status.SUCCESS, ok.status());
        }
        int closed = freePort();
        var refused = new TcpProbe().probe(new TCPSocketActionBuilder().withPort(new IntOrString(closed)).build(),
                container, "127.0.0.1", TIMEOUT);
        assertEquals(Outcome.failure("dial tcp 127.0.0.1:" + closed + ": connect: connection refused"), refused);
    }

    @Test
    void namedPortsResolveFromTheContainer() {
        assertEquals(8080, Ports.resolve(new IntOrString("web"), container));
        assertEquals(9090, Ports.resolve(new IntOrString("9090"), container));
        var e = assertThrows(IllegalArgumentException.class, () -> Ports.resolve(new IntOrString("db"), container));
        assertEquals("no port named \"db\" in the ports of container app", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ports.resolve(new IntOrString(70000), container));
    }

    @Test
    void execSucceedsOnExitZeroAndUnknownPortsOrGrpcError() throws Exception {
        MutableClock clock = new MutableClock();
        try (FakeContainerRuntime runtime = new FakeContainerRuntime(clock)) {
            runtime.runSandbox(new SandboxSpec("uid-1", "ns", "web", "web", null, null));
            ContainerStatus c = runtime.startContainer(new ContainerSpec("uid-1", "app", 0, "busybox:1.36",
                    List.of("sleep", "3600"), List.of(), List.of(), null, null, null, List.of(), false, false));
            Handlers handlers = new Handlers(runtime);
            var pod = new PodBuilder().withNewMetadata().withNamespace("ns").withName("web").endMetadata().build();
            ProbeTarget target = new ProbeTarget(pod, container, c.id(), "127.0.0.1");
            assertEquals(Outcome.Status.SUCCESS, handlers.probe(new ProbeBuilder().withNewExec()
                    .withCommand("true").endExec().build(), target).status());
            assertEquals(Outcome.Status.FAILURE, handlers.probe(new ProbeBuilder().withNewExec()
                    .withCommand("sh", "-c", "exit 1").endExec().build(), target).status());
            assertEquals(Outcome.error("no port named \"db\" in the ports of container app"),
                    handlers.probe(new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString("db"))
                            .endTcpSocket().build(), target));
            assertEquals(Outcome.error("gRPC probes are not supported by this node agent yet"),
                    handlers.probe(new ProbeBuilder().withNewGrpc().withPort(9000).endGrpc().build(), target));
            runtime.stopContainer(c.id(), Duration.ZERO);
            assertEquals(Outcome.Status.ERROR, handlers.probe(new ProbeBuilder().withNewExec()
                    .withCommand("true").endExec().build(), target).status(), "a stopped container cannot be exec'd");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
