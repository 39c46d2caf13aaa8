package io.capstan.node.dns;

import static io.capstan.node.dns.DnsTools.dig;
import static io.capstan.node.dns.DnsTools.digShort;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capstan.controllers.endpointslice.EndpointSliceReconciler;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.capstan.controllers.testing.ControllerFixture;
import io.capstan.controllers.testing.ServiceFixtures;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole chain on one node: pods' IP and readiness -> the EndpointSlice controller -> the DNS
 * server, which shares the controller manager's Service and EndpointSlice informers.
 */
class EndpointSliceDnsIT {
    static ControllerFixture fixture;
    static KubernetesClient client;
    static ClusterDns dns;
    static InetSocketAddress at;

    @BeforeAll
    static void start() throws Exception {
        fixture = ControllerFixture.start(m -> {
            m.register(EndpointSliceReconciler.controller(m, 1));
            m.informer(Service.class);
            m.informer(EndpointSlice.class);
        });
        client = fixture.client;
        DnsConfig config = new DnsConfig("cluster.local", List.of(DnsConfig.literal("127.0.0.1")), 0, 5,
                List.of(), Duration.ofMillis(200));
        dns = ClusterDns.start(config, fixture.manager.informer(Service.class),
                fixture.manager.informer(EndpointSlice.class));
        at = dns.addresses().get(0);
    }

    @AfterAll
    static void stop() {
        if (dns != null) {
            dns.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    /** A StatefulSet-like pod: hostname {@code name}, subdomain {@code service}, port "http" 8080. */
    static Pod member(String ns, String name, String service, String ip, boolean ready) {
        Pod created = client.pods().resource(new PodBuilder().withNewMetadata().withNamespace(ns).withName(name)
                .addToLabels("app", service).endMetadata().withNewSpec().withNodeName("node-1")
                .withHostname(name).withSubdomain(service)
                .addNewContainer().withName("c").withImage("nginx").addNewPort().withName("http")
                .withContainerPort(8080).endPort().endContainer().endSpec().build()).create();
        return setStatus(created, ip, ready);
    }

    /** Replaces the pod's status (phase Running, {@code ip}, one Ready condition) through /status. */
    static Pod setStatus(Pod pod, String ip, boolean ready) {
        Pod withStatus = new PodBuilder(pod).withNewStatus().withPhase("Running").withPodIP(ip)
                .addNewPodIP().withIp(ip).endPodIP()
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus().build();
        return client.pods().resource(withStatus).updateStatus();
    }

    @Test
    void headlessServiceFollowsPodReadinessThroughTheController() {
        String ns = Clients.namespace(client, "dns-chain");
        client.services().resource(new ServiceBuilder(ServiceFixtures.service(ns, "sts", "sts"))
                .editSpec().withClusterIP("None").endSpec().build()).create();
        member(ns, "sts-0", "sts", "10.244.7.10", true);
        Pod second = member(ns, "sts-1", "sts", "10.244.7.11", true);
        String name = "sts." + ns + ".svc.cluster.local";
        Await.until("both pods resolve", () -> digShort(at, name).equals(Set.of("10.244.7.10", "10.244.7.11")),
                () -> dig(at, name));
        assertEquals(Set.of("10.244.7.11"), digShort(at, "sts-1." + name));
        assertEquals(Set.of("0 50 8080 sts-0." + name + ".", "0 50 8080 sts-1." + name + "."),
                digShort(at, "_web._tcp." + name, "SRV"));

        Pod unready = setStatus(second, "10.244.7.11", false);
        Await.until("the unready pod leaves the answer", () -> digShort(at, name).equals(Set.of("10.244.7.10")),
                () -> dig(at, name));
        setStatus(unready, "10.244.7.11", true);
        Await.until("the pod is back when ready", () -> digShort(at, name).equals(Set.of("10.244.7.10", "10.244.7.11")),
                () -> dig(at, name));
    }
}
