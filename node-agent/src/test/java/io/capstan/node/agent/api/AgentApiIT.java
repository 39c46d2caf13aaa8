package io.capstan.node.agent.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.testing.Await;
import io.capstan.node.agent.AgentFixture;
import io.capstan.node.agent.NodeAgent;
import io.capstan.node.agent.net.PodNetworking;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A {@link NodeAgent} serving its API: the bound port (any free one) is published in the Node's
 * status.daemonEndpoints, the secret file is made in the secrets directory, pods are found in the
 * agent's own watch, and closing the agent closes the port.
 */
class AgentApiIT {
    static AgentFixture f;
    static NodeAgent agent;

    @BeforeAll
    static void start() throws Exception {
        f = AgentFixture.start();
        f.agent.close();
        agent = new NodeAgent(f.config, f.client, f.runtime, f.images, f.clock, PodNetworking.NONE,
                new KubeletApi.Options(0, f.dataDir.resolve("node-secrets")));
        f.agent = agent;
        agent.start();
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    static Node node() {
        return f.client.nodes().withName(AgentFixture.NODE).get();
    }

    @Test
    void servesOnTheBoundPortPublishedInTheNodeStatusWithTheSecret() throws Exception {
        int port = agent.kubeletPort();
        assertNotEquals(10250, port);
        Await.until("the node publishes the agent port", () -> node() != null && node().getStatus() != null
                && node().getStatus().getDaemonEndpoints() != null
                && Integer.valueOf(port).equals(node().getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort()));
        String secret = Files.readString(f.dataDir.resolve("node-secrets").resolve(AgentFixture.NODE)).trim();
        assertTrue(get(port, "/healthz", secret).startsWith("HTTP/1.1 200"));
        assertTrue(get(port, "/healthz", "wrong").startsWith("HTTP/1.1 401"));

        f.client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("api-pod")
                .endMetadata().withNewSpec().withNodeName(AgentFixture.NODE).addNewContainer().withName("main")
                .withImage(AgentFixture.IMAGE).withCommand("sleep", "3600").endContainer().endSpec().build()).create();
        Await.until("the agent knows the pod", () -> quietGet(port, "/containerLogs/default/api-pod/other", secret)
                .contains("container other is not valid for pod api-pod"));
        assertTrue(get(port, "/containerLogs/default/not-here/main", secret).startsWith("HTTP/1.1 404"));
    }

    @Test
    void closingTheAgentClosesThePort() throws Exception {
        KubeletApi api = new KubeletApi("other-node", new KubeletApi.Options(0, f.dataDir.resolve("node-secrets")),
                (ns, n) -> null, f.runtime);
        api.start();
        int port = api.port();
        assertTrue(listensHere(port));
        api.close();
        // asked of this process's sockets, not by connecting: a connection attempt could reach
        // whoever binds the freed port next, or connect to itself when given it as source port
        assertFalse(listensHere(port));
    }

    /** Whether a socket of this process listens on TCP {@code port} (/proc/net/tcp{,6} and /proc/self/fd). */
    static boolean listensHere(int port) throws IOException {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+"); // sl local rem st ... inode (10th)
                String local = f[1];
                if (f[3].equals("0A") && Integer.parseInt(local.substring(local.indexOf(':') + 1), 16) == port) {
                    inodes.add(f[9]);
                }
            }
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed meanwhile
                }
                if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                    return true;
                }
            }
        }
        return false;
    }

    static String quietGet(int port, String path, String secret) {
        try {
            return get(port, path, secret);
        } catch (Exception e) {
            return "";
        }
    }

    static String get(int port, String path, String secret) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nX-Capstan-Node-Secret: " + secret
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
