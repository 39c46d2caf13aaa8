package io.capstan.node.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.testing.TestApiServer;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proxy programming a node namespace from Services and EndpointSlices of an in-process API
 * server, checked by connecting through the rules to busybox servers in pod namespaces. Pod i
 * answers "pod-i" on 8080 and "alt-i" on 9090.
 */
class ServiceProxyIT {
    private static TestApiServer server;
    private static KubernetesClient client;
    private static NetLab lab;
    private static ServiceProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        server = TestApiServer.start();
        client = Clients.of(server);
        lab = NetLab.create(3);
        for (int i = 1; i <= 3; i++) {
            lab.serve(i, 8080, "pod-" + i);
            lab.serve(i, 9090, "alt-" + i);
        }
        for (int i = 1; i <= 3; i++) {
            int pod = i;
            Await.until("pod " + pod + " serves", () -> lab.connect(lab.node, NetLab.podIp(pod), 8080).equals("pod-" + pod)
                    && lab.connect(lab.node, NetLab.podIp(pod), 9090).equals("alt-" + pod));
        }
        proxy = new ServiceProxy(client, lab.proxyConfig()).start();
    }

    @AfterAll
    static void stop() {
        try {
            if (proxy != null) {
                proxy.close();
            }
        } finally {
            try {
                if (lab != null) {
                    lab.close();
                }
            } finally {
                if (client != null) {
                    client.close();
                }
                if (server != null) {
                    server.close();
                }
            }
        }
    }

    @Test
    void clusterIpSpreadsOverReadyEndpointsAndFollowsReadiness() {
        String ns = Clients.namespace(client, "spread");
        createService(service(ns, "web", "10.96.10.1").build());
        EndpointSlice slice = createSlice(slice(ns, "web", "web-1", "http", 8080, 1, 2, 3).build());

        Await.until("the node reaches web", () -> lab.connect(lab.node, "10.96.10.1", 80).startsWith("pod-"),
                () -> lab.connect(lab.node, "10.96.10.1", 80));
        Set<String> seen = new HashSet<>();
        for (int round = 0; round < 4 && seen.size() < 3; round++) {
            seen.addAll(lab.connectMany(lab.node, "10.96.10.1", 80, 20));
        }
        assertEquals(Set.of("pod-1", "pod-2", "pod-3"), seen);
        assertTrue(lab.ruleset().contains("numgen random mod 3 vmap"), lab.ruleset());

        // Pod 2 becomes unready: it leaves the rotation.
        slice.getEndpoints().get(1).getConditions().setReady(false);
        long updated = System.nanoTime();
        client.discovery().v1().endpointSlices().resource(slice).update();
        String pod2 = "goto ep-spread/web/tcp/http/" + NetLab.podIp(2) + "/8080";
        Await.until("pod-2's chain leaves the pick", () -> !lab.ruleset().contains(pod2), lab::ruleset);
        System.out.printf("unready endpoint out of the rules %d ms after the update (observed, not asserted)%n",
                (System.nanoTime() - updated) / 1_000_000);
        List<String> answers = lab.connectMany(lab.node, "10.96.10.1", 80, 30);
        assertEquals(Set.of("pod-1", "pod-3"), Set.copyOf(answers), answers.toString());

        // Ready again: back in.
        EndpointSlice current = client.discovery().v1().endpointSlices().inNamespace(ns).withName("web-1").get();
        current.getEndpoints().get(1).getConditions().setReady(true);
        client.discovery().v1().endpointSlices().resource(current).update();
        Await.until("pod-2 is back", () -> lab.connectMany(lab.node, "10.96.10.1", 80, 10).contains("pod-2"));
        assertTrue(lab.ruleset().contains("numgen random mod 3 vmap"), lab.ruleset());
    }

    @Test
    void podsReachTheServiceIncludingThemselves() {
        String ns = Clients.namespace(client, "frompods");
        createService(service(ns, "one", "10.96.10.2").build());
        createSlice(slice(ns, "one", "one-1", "http", 8080, 1).build());
        // Pod 2 through the bridge and routing of the node, pod 1 back to itself (hairpin, masqueraded).
        Await.until("pod 2 reaches one", () -> lab.connect(lab.pods.get(1), "10.96.10.2", 80).equals("pod-1"),
                () -> lab.connect(lab.pods.get(1), "10.96.10.2", 80));
        Await.until("pod 1 reaches itself", () -> lab.connect(lab.pods.get(0), "10.96.10.2", 80).equals("pod-1"),
                () -> lab.connect(lab.pods.get(0), "10.96.10.2", 80));
    }

    @Test
    void namedTargetPortResolvesThroughEachSlicesPortsOnMultiPortServices() {
        String ns = Clients.namespace(client, "named");
        createService(service(ns, "multi", "10.96.10.3").editSpec()
                .addNewPort().withName("admin").withPort(81).withTargetPort(new IntOrString("admin")).endPort()
                .endSpec().build());
        // The named container port "web" is 8080 on pod 1 and 9090 on pod 3, so two slices.
        createSlice(slice(ns, "multi", "multi-a", "http", 8080, 1).addNewPort().withName("admin").withPort(9090)
                .withProtocol("TCP").endPort().build());
        createSlice(slice(ns, "multi", "multi-b", "http", 9090, 3).build());

        Await.until("both endpoints answer on port 80", () -> Set.copyOf(lab.connectMany(lab.node, "10.96.10.3", 80, 20))
                .equals(Set.of("pod-1", "alt-3")), () -> lab.connectMany(lab.node, "10.96.10.3", 80, 20).toString());
        assertEquals(Set.of("alt-1"), Set.copyOf(lab.connectMany(lab.node, "10.96.10.3", 81, 10)));
    }

    @Test
    void nodePortOnTheNodesOwnAddresses() {
        String ns = Clients.namespace(client, "nodeport");
        createService(service(ns, "np", "10.96.10.4").editSpec().withType("NodePort").editFirstPort()
                .withNodePort(30080).endPort().endSpec().build());
        createSlice(slice(ns, "np", "np-1", "http", 8080, 2).build());

        Await.until("the node reaches its own NodePort", () -> lab.connect(lab.node, NetLab.NODE_IP, 30080).equals("pod-2"),
                () -> lab.connect(lab.node, NetLab.NODE_IP, 30080));
        // From another namespace (pod 3 plays an outside client) to the node's bridge address: DNAT + masquerade.
        Await.until("a client reaches the NodePort", () -> lab.connect(lab.pods.get(2), NetLab.GATEWAY, 30080)
                .equals("pod-2"), () -> lab.connect(lab.pods.get(2), NetLab.GATEWAY, 30080));
        assertEquals("pod-2", lab.connect(lab.pods.get(2), NetLab.NODE_IP, 30080));
        assertEquals("pod-2", lab.connect(lab.node, "10.96.10.4", 80));
    }

    @Test
    void clientIpAffinitySticks() {
        String ns = Clients.namespace(client, "sticky");
        createService(service(ns, "sticky", "10.96.10.5").editSpec().withSessionAffinity("ClientIP").endSpec().build());
        createSlice(slice(ns, "sticky", "sticky-1", "http", 8080, 1, 2, 3).build());

        Await.until("the node reaches sticky", () -> lab.connect(lab.node, "10.96.10.5", 80).startsWith("pod-"));
        Map<String, String> stuck = new HashMap<>();
        for (String client : List.of(lab.node, lab.pods.get(0), lab.pods.get(2))) {
            List<String> answers = lab.connectMany(client, "10.96.10.5", 80, 15);
            assertEquals(1, Set.copyOf(answers).size(), client + " got " + answers);
            assertTrue(answers.get(0).startsWith("pod-"), answers.toString());
            stuck.put(client, answers.get(0));
        }
        assertTrue(lab.ruleset().contains("timeout 3h"), "default timeout 10800 s");
        assertTrue(lab.ruleset().contains(NetLab.GATEWAY + " expires"), "the node's address is remembered");

        // An unrelated change rewrites the table; the remembered clients stay where they were.
        createService(service(ns, "unrelated", "10.96.10.7").build());
        Await.until("the unrelated service is programmed", () -> lab.ruleset().contains("10.96.10.7 . tcp . 80"));
        assertTrue(lab.ruleset().contains(NetLab.GATEWAY + " expires"), lab.ruleset());
        for (Map.Entry<String, String> e : stuck.entrySet()) {
            assertEquals(Set.of(e.getValue()), Set.copyOf(lab.connectMany(e.getKey(), "10.96.10.5", 80, 5)), e.getKey());
        }
    }

    @Test
    void serviceWithoutEndpointsRefusesConnections() {
        String ns = Clients.namespace(client, "empty");
        createService(service(ns, "nobody", "10.96.10.6").editSpec().withType("NodePort").editFirstPort()
                .withNodePort(30081).endPort().endSpec().build());
        // A slice whose only endpoint is not ready counts as none.
        createSlice(slice(ns, "nobody", "nobody-1", "http", 8080, 1).editFirstEndpoint().editConditions()
                .withReady(false).endConditions().endEndpoint().build());

        Await.until("the rules know nobody", () -> lab.ruleset().contains("10.96.10.6 . tcp . 80 : goto reject-service"),
                () -> lab.ruleset());
        assertTrue(lab.connect(lab.node, "10.96.10.6", 80).contains("Connection refused"));
        assertTrue(lab.connect(lab.pods.get(1), "10.96.10.6", 80).contains("Connection refused"));
        assertTrue(lab.connect(lab.node, NetLab.NODE_IP, 30081).contains("Connection refused"));
        assertTrue(lab.connect(lab.pods.get(1), NetLab.NODE_IP, 30081).contains("Connection refused"));
        // A service address on a port no service has, and a free address of the service CIDR.
        assertTrue(lab.connect(lab.node, "10.96.10.6", 81).contains("Connection refused"));
        // An address no service holds stays behind the agent's unreachable route.
        String free = lab.connect(lab.pods.get(1), "10.96.200.200", 80);
        assertTrue(free.contains("No route to host"), free);
    }

    @Test
    void localTrafficPoliciesKeepTrafficOnThisNode() {
        String ns = Clients.namespace(client, "local");
        createService(service(ns, "itp", "10.96.10.8").editSpec().withInternalTrafficPolicy("Local").endSpec().build());
        createService(service(ns, "etp", "10.96.10.9").editSpec().withType("NodePort").withExternalTrafficPolicy("Local")
                .editFirstPort().withNodePort(30082).endPort().endSpec().build());
        for (String name : List.of("itp", "etp")) {
            EndpointSlice s = slice(ns, name, name + "-1", "http", 8080, 1, 2).build();
            s.getEndpoints().get(0).setNodeName(NetLab.NODE_NAME);
            s.getEndpoints().get(1).setNodeName("node-b");
            createSlice(s);
        }
        Await.until("itp is programmed", () -> lab.ruleset().contains("svl-local/itp/tcp/http"), lab::ruleset);
        // ClusterIP traffic of an internalTrafficPolicy Local service stays on this node's endpoint.
        List<String> answers = lab.connectMany(lab.node, "10.96.10.8", 80, 20);
        assertEquals(Set.of("pod-1"), Set.copyOf(answers), answers.toString());
        // externalTrafficPolicy Local: a pod's NodePort traffic counts as internal, so both answer.
        Await.until("a pod reaches both endpoints of etp through the NodePort",
                () -> Set.copyOf(lab.connectMany(lab.pods.get(2), NetLab.NODE_IP, 30082, 20))
                        .equals(Set.of("pod-1", "pod-2")),
                () -> lab.connectMany(lab.pods.get(2), NetLab.NODE_IP, 30082, 20).toString());
        assertTrue(lab.ruleset().contains("goto svl-local/etp/tcp/http"), "outside clients go to local endpoints");
    }

    private static ServiceBuilder service(String ns, String name, String clusterIp) {
        return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withClusterIP(clusterIp).withClusterIPs(clusterIp).addToSelector("app", name)
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("web")).endPort()
                .endSpec();
    }

    /** A slice of service {@code service} with port {@code portName}={@code port} and ready pods {@code pods}. */
    static EndpointSliceBuilder slice(String ns, String service, String name, String portName, int port, int... pods) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withNamespace(ns).withName(name)
                .addToLabels(ServicePorts.SERVICE_NAME_LABEL, service).endMetadata().withAddressType("IPv4")
                .addNewPort().withName(portName).withPort(port).withProtocol("TCP").endPort();
        for (int pod : pods) {
            b.addNewEndpoint().withAddresses(NetLab.podIp(pod)).withNewConditions().withReady(true).withServing(true)
                    .withTerminating(false).endConditions().endEndpoint();
        }
        return b;
    }

    private static void createService(Service s) {
        client.services().resource(s).create();
    }

    private static EndpointSlice createSlice(EndpointSlice s) {
        return client.discovery().v1().endpointSlices().resource(s).create();
    }
}
