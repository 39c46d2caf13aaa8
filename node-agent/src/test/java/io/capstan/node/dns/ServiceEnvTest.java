package io.capstan.node.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.node.cri.ContainerSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Service environment variables, against the example of Kubernetes' "Service" concept page. */
class ServiceEnvTest {
    static Service svc(String ns, String name, String ip, int port) {
        return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withClusterIP(ip).addNewPort().withPort(port).endPort().endSpec().build();
    }

    static Pod pod(String ns, Boolean links) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName("p").endMetadata()
                .withNewSpec().withEnableServiceLinks(links).endSpec().build();
    }

    @Test
    void documentedRedisPrimaryExample() {
        Map<String, String> env = ServiceEnv.forPod(pod("prod", null), List.of(svc("prod", "redis-primary", "10.0.0.11", 6379)));
        assertEquals(Map.of(
                "REDIS_PRIMARY_SERVICE_HOST", "10.0.0.11",
                "REDIS_PRIMARY_SERVICE_PORT", "6379",
                "REDIS_PRIMARY_PORT", "tcp://10.0.0.11:6379",
                "REDIS_PRIMARY_PORT_6379_TCP", "tcp://10.0.0.11:6379",
                "REDIS_PRIMARY_PORT_6379_TCP_PROTO", "tcp",
                "REDIS_PRIMARY_PORT_6379_TCP_PORT", "6379",
                "REDIS_PRIMARY_PORT_6379_TCP_ADDR", "10.0.0.11"), env);
    }

    @Test
    void namedPortsOtherNamespacesHeadlessAndServiceLinks() {
        Service multi = new ServiceBuilder().withNewMetadata().withNamespace("a").withName("web").endMetadata()
                .withNewSpec().withClusterIP("10.96.0.20")
                .addNewPort().withName("http").withPort(80).endPort()
                .addNewPort().withName("dns-udp").withProtocol("UDP").withPort(53).endPort().endSpec().build();
        List<Service> all = List.of(multi, svc("default", "kubernetes", "10.96.0.1", 443),
                svc("b", "other", "10.96.0.30", 8080), svc("a", "headless", "None", 80));
        Map<String, String> env = ServiceEnv.forPod(pod("a", true), all);
        assertEquals("80", env.get("WEB_SERVICE_PORT"));
        assertEquals("80", env.get("WEB_SERVICE_PORT_HTTP"));
        assertEquals("53", env.get("WEB_SERVICE_PORT_DNS_UDP"));
        assertEquals("udp://10.96.0.20:53", env.get("WEB_PORT_53_UDP"));
        assertEquals("10.96.0.1", env.get("KUBERNETES_SERVICE_HOST"));
        assertEquals("tcp://10.96.0.1:443", env.get("KUBERNETES_PORT"));
        assertTrue(env.keySet().stream().noneMatch(k -> k.startsWith("OTHER_") || k.startsWith("HEADLESS_")));
        Map<String, String> off = ServiceEnv.forPod(pod("a", false), all);
        assertTrue(off.keySet().stream().allMatch(k -> k.startsWith("KUBERNETES_")), off.toString());
        assertEquals(7, off.size());
    }

    @Test
    void containerVariablesWinAndServiceVariablesFollow() {
        var own = List.of(new ContainerSpec.EnvVar("WEB_SERVICE_HOST", "mine"), new ContainerSpec.EnvVar("A", "1"));
        var all = ServiceEnv.appendTo(own, ServiceEnv.forPod(pod("a", null), List.of(svc("a", "web", "10.96.0.5", 80))));
        assertEquals(own, all.subList(0, 2));
        assertEquals(List.of("WEB_PORT", "WEB_PORT_80_TCP", "WEB_PORT_80_TCP_ADDR", "WEB_PORT_80_TCP_PORT",
                "WEB_PORT_80_TCP_PROTO", "WEB_SERVICE_PORT"), all.subList(2, all.size()).stream()
                .map(ContainerSpec.EnvVar::name).toList());
    }
}
