package io.capstan.node.agent;

import io.capstan.apiserver.testing.TestApiServer;
import io.capstan.controllers.testing.Clients;
import io.capstan.controllers.testing.MutableClock;
import io.capstan.node.testing.FakeContainerRuntime;
import io.capstan.node.testing.FakeImageService;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What an agent IT runs against: an in-process API server, a client, a {@link MutableClock}, a fake
 * runtime and image service (holding busybox), and a started {@link NodeAgent} for node
 * {@link #NODE} with short intervals. {@link #restartAgent()} replaces the agent over the same
 * runtime, as an agent process restarting on a live node.
 */
public final class AgentFixture implements AutoCloseable {
    public static final String NODE = "capstan-node-1";
    public static final String IMAGE = "busybox:1.36";

    public final TestApiServer server;
    public final KubernetesClient client;
    public final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    public final FakeContainerRuntime runtime = new FakeContainerRuntime(clock);
    public final FakeImageService images = new FakeImageService();
    public final Path dataDir;
    public final AgentConfig config;
    public volatile NodeAgent agent;

    private AgentFixture(TestApiServer server, KubernetesClient client, Path dataDir) {
        this.server = server;
        this.client = client;
        this.dataDir = dataDir;
        this.config = AgentConfig.defaults(NODE, dataDir)
                .withLeaseRenewInterval(Duration.ofMillis(200))
                .withStatusCheckInterval(Duration.ofMillis(200))
                .withPodResyncInterval(Duration.ofMillis(100))
                .withHousekeepingInterval(Duration.ofMillis(200))
                .withInternalIp("10.1.2.3");
        images.add(IMAGE, 4_500_000);
    }

    public static AgentFixture start() throws Exception {
        TestApiServer server = TestApiServer.start();
        KubernetesClient client = null;
        Path dir = null;
        try {
            client = Clients.of(server);
            dir = Files.createTempDirectory("capstan-agent-it");
            AgentFixture f = new AgentFixture(server, client, dir);
            f.startAgent();
            return f;
        } catch (Exception | Error e) {
            if (client != null) {
                client.close();
            }
            server.close();
            delete(dir);
            throw e;
        }
    }

    public void startAgent() throws Exception {
        agent = new NodeAgent(config, client, runtime, images, clock);
        agent.start();
    }

    public void restartAgent() throws Exception {
        agent.close();
        startAgent();
    }

    public Pod pod(String ns, String name) {
        return client.pods().inNamespace(ns).withName(name).get();
    }

    @Override
    public void close() {
        if (agent != null) {
            agent.close();
        }
        runtime.close();
        client.close();
        server.close();
        delete(dataDir);
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
