package io.capstan.node.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.node.proxy.ServicePortRule.Endpoint;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServicePortsTest {
    private static final ProxyConfig CONFIG = ProxyConfig.defaults();

    private static ServiceBuilder service(String name, String clusterIp) {
        return new ServiceBuilder().withNewMetadata().withNamespace("ns").withName(name).endMetadata()
                .withNewSpec().withClusterIP(clusterIp).withClusterIPs(clusterIp)
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("web")).endPort()
                .addNewPort().withName("dns").withProtocol("UDP").withPort(53).endPort()
                .endSpec();
    }

    private static EndpointSliceBuilder slice(String service, String name) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace("ns").withName(name)
                .addToLabels(ServicePorts.SERVICE_NAME_LABEL, service).endMetadata().withAddressType("IPv4");
    }

    @Test
    void namedPortsResolveThroughEachSlicesPorts() {
        EndpointSlice a = slice("web", "web-a").addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort()
                .addNewEndpoint().withAddresses("10.244.1.5").withNewConditions().withReady(true).endConditions().endEndpoint()
                .build();
        // A second slice where the named container port has another number.
        EndpointSlice b = slice("web", "web-b").addNewPort().withName("http").withPort(9090).endPort()
                .addNewPort().withName("dns").withProtocol("UDP").withPort(5353).endPort()
                .addNewEndpoint().withAddresses("10.244.1.6").endEndpoint().build();
        List<ServicePortRule> rules = ServicePorts.build(List.of(service("web", "10.96.0.20").build()),
                List.of(a, b), CONFIG);
        assertEquals(2, rules.size());
        ServicePortRule http = rules.get(0);
        ServicePortRule dns = rules.get(1);
        assertEquals("ns/web/tcp/http", http.id());
        assertEquals(List.of(new Endpoint("10.244.1.5", 8080), new Endpoint("10.244.1.6", 9090)), http.endpoints());
        assertEquals("ns/web/udp/dns", dns.id());
        assertEquals(List.of(new Endpoint("10.244.1.6", 5353)), dns.endpoints());
        assertEquals(List.of("10.96.0.20"), http.clusterIps());
    }

    @Test
    void readyEndpointsOnlyAndTerminatingOnesAsFallback() {
        EndpointSlice s = slice("web", "web-a").addNewPort().withName("http").withPort(8080).endPort()
                .addNewEndpoint().withAddresses("10.244.1.5").withNewConditions().withReady(false).endConditions().endEndpoint()
                .addNewEndpoint().withAddresses("10.244.1.6").withNewConditions().withReady(true).endConditions().endEndpoint()
                .addNewEndpoint().withAddresses("10.244.1.7").withNewConditions().withReady(false).withServing(true)
                .withTerminating(true).endConditions().endEndpoint()
                .build();
        ServicePortRule http = ServicePorts.build(List.of(service("web", "10.96.0.20").build()), List.of(s), CONFIG)
                .get(0);
        assertEquals(List.of(new Endpoint("10.244.1.6", 8080)), http.endpoints());

        s.getEndpoints().get(1).getConditions().setReady(false);
        http = ServicePorts.build(List.of(service("web", "10.96.0.20").build()), List.of(s), CONFIG).get(0);
        assertEquals(List.of(new Endpoint("10.244.1.7", 8080)), http.endpoints());
    }

    @Test
    void affinityNodePortsAndSkippedServices() {
        Service affinity = service("sticky", "10.96.0.21").editSpec().withType("NodePort").withSessionAffinity("ClientIP")
                .editFirstPort().withNodePort(30080).endPort().editLastPort().withNodePort(40000).endPort().endSpec().build();
        Service timed = service("timed", "10.96.0.22").editSpec().withSessionAffinity("ClientIP")
                .withNewSessionAffinityConfig().withNewClientIP().withTimeoutSeconds(60).endClientIP()
                .endSessionAffinityConfig().endSpec().build();
        Service headless = service("headless", "None").build();
        Service external = new ServiceBuilder().withNewMetadata().withNamespace("ns").withName("ext").endMetadata()
                .withNewSpec().withType("ExternalName").withExternalName("example.org").endSpec().build();
        Service sixOnly = service("six", "fd00::1").build();
        Service badName = service("Bad_Name", "10.96.0.23").build();
        List<ServicePortRule> rules = ServicePorts.build(List.of(affinity, timed, headless, external, sixOnly, badName),
                List.of(), CONFIG);
        assertEquals(List.of("ns/sticky/tcp/http", "ns/sticky/udp/dns", "ns/timed/tcp/http", "ns/timed/udp/dns"),
                rules.stream().map(ServicePortRule::id).toList());
        assertEquals(ServicePorts.DEFAULT_AFFINITY_SECONDS, rules.get(0).affinitySeconds());
        assertEquals(30080, rules.get(0).nodePort());
        assertEquals(0, rules.get(1).nodePort(), "a nodePort outside 30000-32767 is not programmed");
        assertEquals(60, rules.get(2).affinitySeconds());
        assertTrue(rules.stream().allMatch(r -> r.endpoints().isEmpty()));
    }

    @Test
    void localTrafficPoliciesNeedANodeName() {
        Service s = service("web", "10.96.0.20").editSpec().withInternalTrafficPolicy("Local").endSpec().build();
        EndpointSlice slice = slice("web", "web-a").addNewPort().withName("http").withPort(8080).endPort()
                .addNewEndpoint().withAddresses("10.244.1.5").withNodeName("node-a").endEndpoint()
                .addNewEndpoint().withAddresses("10.244.2.5").withNodeName("node-b").endEndpoint().build();
        ServicePortRule here = ServicePorts.build(List.of(s), List.of(slice), CONFIG.withNodeName("node-a")).get(0);
        assertTrue(here.internalLocal());
        assertEquals(List.of(new Endpoint("10.244.1.5", 8080)), here.localEndpoints());
        assertEquals(2, here.endpoints().size());
        ServicePortRule unnamed = ServicePorts.build(List.of(s), List.of(slice), CONFIG).get(0);
        assertTrue(!unnamed.internalLocal() && unnamed.localEndpoints().isEmpty(), "no node name: Cluster policy");
    }

    @Test
    void unnamedPortIsNamedByNumber() {
        Service s = new ServiceBuilder().withNewMetadata().withNamespace("ns").withName("one").endMetadata()
                .withNewSpec().withClusterIP("10.96.0.30").addNewPort().withPort(8080).endPort().endSpec().build();
        EndpointSlice slice = slice("one", "one-x").addNewPort().withPort(80).endPort()
                .addNewEndpoint().withAddresses("10.244.2.2").endEndpoint().build();
        ServicePortRule rule = ServicePorts.build(List.of(s), List.of(slice), CONFIG).get(0);
        assertEquals("ns/one/tcp/8080", rule.id());
        assertEquals(List.of(new Endpoint("10.244.2.2", 80)), rule.endpoints());
    }
}
