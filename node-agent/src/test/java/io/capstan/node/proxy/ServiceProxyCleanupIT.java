package io.capstan.node.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.testing.TestApiServer;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.capstan.controllers.runtime.ControllerManager;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Removing every service removes their rules; closing the proxy deletes its table; a table the
 * proxy does not own survives both; a table deleted by hand comes back with the next rewrite. And
 * the proxy runs on informers someone else owns.
 */
class ServiceProxyCleanupIT {
    private static final String FOREIGN = "table inet capstanforeign";

    @Test
    void deletingServicesAndClosingLeaveNothingButOthersRules() throws Exception {
        try (TestApiServer server = TestApiServer.start();
                KubernetesClient client = Clients.of(server);
                NetLab lab = NetLab.create(1)) {
            lab.serve(1, 8080, "pod-1");
            nft(lab, "add table inet capstanforeign; add chain inet capstanforeign input "
                    + "{ type filter hook input priority 0; policy accept; }; add rule inet capstanforeign input counter");
            String ns = Clients.namespace(client, "gone");
            for (String name : List.of("a", "b")) {
                client.services().resource(new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name)
                        .endMetadata().withNewSpec().withType("NodePort").withClusterIP("10.96.20." + (name.equals("a") ? 1 : 2))
                        .withSessionAffinity("ClientIP")
                        .addNewPort().withName("http").withPort(80).withNodePort(name.equals("a") ? 30100 : 30101).endPort()
                        .endSpec().build()).create();
                client.discovery().v1().endpointSlices().resource(
                        ServiceProxyIT.slice(ns, name, name + "-1", "http", 8080, 1).build()).create();
            }

            ProxyConfig config = lab.proxyConfig();
            try (ServiceProxy proxy = new ServiceProxy(client, config).start()) {
                Await.until("a answers", () -> lab.connect(lab.node, "10.96.20.1", 80).equals("pod-1"));
                Await.until("b answers", () -> lab.connect(lab.node, NetLab.NODE_IP, 30101).equals("pod-1"));
                assertTrue(lab.routes().contains("10.96.20.1 dev capstanbr0 proto " + ServiceRoutes.PROTO), lab.routes());

                // Deleted by hand: the periodic rewrite (here forced) brings the table back.
                nft(lab, "delete table ip capstan");
                assertFalse(lab.ruleset().contains("table ip capstan"));
                proxy.syncNow();
                assertEquals("pod-1", lab.connect(lab.node, "10.96.20.2", 80));

                client.services().inNamespace(ns).withName("a").delete();
                client.services().inNamespace(ns).withName("b").delete();
                Await.until("no service rules are left", () -> !proxy.listTable().contains("svc-")
                        && !proxy.listTable().contains("ep-") && !proxy.listTable().contains("aff-")
                        && !proxy.listTable().contains("10.96.20."), proxy::listTable);
                String gone = lab.connect(lab.node, "10.96.20.1", 80);
                assertTrue(gone.contains("No route to host"), "the unrouted address is unreachable again: " + gone);
                assertTrue(lab.connect(lab.node, NetLab.NODE_IP, 30101).contains("Connection refused"));
                assertTrue(lab.ruleset().contains("table ip capstan"), "the skeleton stays while the proxy runs");
                Await.until("the ClusterIP routes are gone", () -> !lab.routes().contains("10.96.20."), lab::routes);
            }
            assertFalse(lab.routes().contains("proto " + ServiceRoutes.PROTO), lab.routes());
            assertTrue(lab.routes().contains("unreachable 10.96.0.0/12"), "the agent's route stays: " + lab.routes());
            String ruleset = lab.ruleset();
            assertFalse(ruleset.contains("table ip capstan"), ruleset);
            assertTrue(ruleset.contains(FOREIGN), "a table capstan does not own is untouched: " + ruleset);
            assertTrue(ServiceProxy.cleanup(config), "cleanup without a table is a no-op");
            assertTrue(lab.ruleset().contains(FOREIGN));
        }
    }

    @Test
    void runsOnTheSharedInformersOfAControllerManager() throws Exception {
        try (TestApiServer server = TestApiServer.start();
                KubernetesClient client = Clients.of(server);
                NetLab lab = NetLab.create(1);
                ControllerManager manager = new ControllerManager(client)) {
            lab.serve(1, 8080, "pod-1");
            SharedIndexInformer<Service> services = manager.informer(Service.class);
            SharedIndexInformer<EndpointSlice> slices = manager.informer(EndpointSlice.class);
            manager.start();
            String ns = Clients.namespace(client, "shared");
            try (ServiceProxy proxy = new ServiceProxy(services, slices, lab.proxyConfig()).start()) {
                client.services().resource(new ServiceBuilder().withNewMetadata().withNamespace(ns).withName("s")
                        .endMetadata().withNewSpec().withClusterIP("10.96.30.1")
                        .addNewPort().withName("http").withPort(80).endPort().endSpec().build()).create();
                client.discovery().v1().endpointSlices().resource(
                        ServiceProxyIT.slice(ns, "s", "s-1", "http", 8080, 1).build()).create();
                Await.until("s answers", () -> lab.connect(lab.node, "10.96.30.1", 80).equals("pod-1"),
                        () -> lab.connect(lab.node, "10.96.30.1", 80));
            }
            assertTrue(services.isRunning(), "the manager's informers are not the proxy's to stop");
            assertFalse(lab.ruleset().contains("table ip capstan"));
        }
    }

    private static void nft(NetLab lab, String script) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", lab.node, "nft", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }
}
