package io.capstan.node.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.cri.ContainerStatus.ContainerState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent API over real sockets: auth, head errors, routing, target resolution and containerLogs. */
class KubeletApiTest {
    private Path dir;
    private KubeletApi api;
    private String secret;
    private final List<ContainerStatus> containers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("kubelet-api-test");
        Pod pod = new PodBuilder().withNewMetadata().withNamespace("ns").withName("web").withUid("uid-1").endMetadata()
                .withNewSpec().addNewContainer().withName("main").endContainer().addNewContainer().withName("late")
                .endContainer().endSpec()
                .withNewStatus().addNewContainerStatus().withName("late").withNewState().withNewWaiting()
                .withReason("ErrImagePull").endWaiting().endState().endContainerStatus().endStatus().build();
        Map<String, Pod> pods = Map.of("ns/web", pod);
        api = new KubeletApi("node-a", new KubeletApi.Options(0, dir.resolve("secrets")),
                (ns, name) -> pods.get(ns + "/" + name), runtime(), PodStreams.UNAVAILABLE);
        api.start();
        secret = Files.readString(dir.resolve("secrets/node-a")).trim();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void secretIsCreatedPrivateAndReused() throws Exception {
        Path f = dir.resolve("secrets/node-a");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertTrue(secret.matches("[0-9a-f]{64}"), secret);
        assertTrue(NodeSecret.loadOrCreate(dir.resolve("secrets"), "node-a").matches(secret));
    }

    @Test
    void requestsWithoutTheSecretAre401() throws Exception {
        Reply r = send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(401, r.code);
        assertTrue(r.body.contains("\"kind\":\"Status\"") && r.body.contains("\"reason\":\"Unauthorized\""), r.body);
        assertEquals(401, send("GET /healthz HTTP/1.1\r\nX-Capstan-Node-Secret: " + secret.replace('a', 'b')
                + "0\r\n\r\n").code);
    }

    @Test
    void malformedHeadIs400() throws Exception {
        Reply r = send("HELLO\r\n\r\n");
        assertEquals(400, r.code);
        assertTrue(r.body.contains("malformed request line"), r.body);
        assertEquals(200, get("/healthz").code, "the server survives bad input");
    }

    @Test
    void routesAndMethods() throws Exception {
        Reply ok = get("/healthz");
        assertEquals(200, ok.code);
        assertEquals("ok", ok.body);
        assertEquals(404, get("/nothing").code);
        assertEquals(404, get("/containerLogs/ns/web").code);
        assertEquals(405, send("DELETE /containerLogs/ns/web/main HTTP/1.1\r\nX-Capstan-Node-Secret: " + secret
                + "\r\n\r\n").code);
    }

    @Test
    void targetsAreResolvedWithKubeletMessages() throws Exception {
        Reply missingPod = get("/containerLogs/ns/nope/main");
        assertEquals(404, missingPod.code);
        Reply badContainer = get("/containerLogs/ns/web/other");
        assertEquals(400, badContainer.code);
        assertTrue(badContainer.body.contains("container other is not valid for pod web"), badContainer.body);
        Reply waiting = get("/containerLogs/ns/web/late");
        assertEquals(400, waiting.code);
        assertTrue(waiting.body.contains("container \\\"late\\\" in pod \\\"web\\\" is waiting to start: ErrImagePull"),
                waiting.body);
        Reply noCommand = get("/exec/ns/web/main?stdout=true");
        assertEquals(400, noCommand.code);
        assertTrue(noCommand.body.contains("at least one command"), noCommand.body);
        Reply notRunning = get("/exec/ns/web/late?command=sh&stdout=true");
        assertEquals(400, notRunning.code);
        assertTrue(notRunning.body.contains("container not found (\\\"late\\\")"), notRunning.body);
        assertEquals(400, get("/containerLogs/ns/web/main?tailLines=-1").code);
        assertEquals(400, get("/containerLogs/ns/web/main?sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z").code);
    }

    @Test
    void containerLogsStreamsTheCurrentOrPreviousAttempt() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs/main"));
        Files.writeString(logs.resolve("0.log"), "2026-01-01T00:00:00.000000001Z stdout F old\n");
        Files.writeString(logs.resolve("1.log"), "2026-01-01T00:00:01.5Z stdout F one\n"
                + "2026-01-01T00:00:02Z stderr P tw\n2026-01-01T00:00:02Z stderr F o\n2026-01-01T00:00:03Z stdout F three\n");
        containers.add(status("c0", 0, ContainerState.EXITED, logs.resolve("0.log")));
        containers.add(status("c1", 1, ContainerState.RUNNING, logs.resolve("1.log")));
        Reply all = get("/containerLogs/ns/web/main");
        assertEquals(200, all.code);
        assertEquals("one\ntwo\nthree\n", all.body);
        assertEquals("2026-01-01T00:00:03.000000000Z three\n", get("/containerLogs/ns/web/main?tailLines=1&timestamps=true").body);
        assertEquals("two\nthree\n", get("/containerLogs/ns/web/main?sinceTime=2026-01-01T00:00:02Z").body);
        assertEquals("one\nt", get("/containerLogs/ns/web/main?limitBytes=5").body);
        assertEquals("old\n", get("/containerLogs/ns/web/main?previous=true").body);
        Reply exec = get("/exec/ns/web/main?command=sh&stdout=true");
        assertEquals(503, exec.code, "streams are not wired in this test");
    }

    private ContainerStatus status(String id, int attempt, ContainerState state, Path log) {
        return new ContainerStatus(id, "uid-1", "main", attempt, "busybox", "sha256:x", state, 0, Instant.EPOCH,
                state == ContainerState.EXITED ? Instant.EPOCH : null, state == ContainerState.EXITED ? 0 : null, null,
                null, log);
    }

    /** A runtime that only lists this test's containers. */
    private ContainerRuntime runtime() {
        return (ContainerRuntime) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ContainerRuntime.class}, (p, m, args) -> switch (m.getName()) {
                    case "listContainers" -> List.copyOf(containers);
                    case "containerStatus" -> containers.stream().filter(c -> c.id().equals(args[0])).findFirst();
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private Reply get(String path) throws Exception {
        return send("GET " + path + " HTTP/1.1\r\nHost: x\r\nX-Capstan-Node-Secret: " + secret + "\r\n\r\n");
    }

    private record Reply(int code, String body) {}

    private Reply send(String request) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), api.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            byte[] all = s.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String head = text.substring(0, end);
            String body = text.substring(end + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new Reply(Integer.parseInt(head.split(" ")[1]), body);
        }
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int eol = body.indexOf("\r\n", i);
            int n = Integer.parseInt(body.substring(i, eol), 16);
            if (n == 0) {
                return out.toString();
            }
            out.append(body, eol + 2, eol + 2 + n);
            i = eol + 2 + n + 2;
        }
    }

}
