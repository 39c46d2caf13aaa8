package io.capstan.node.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

/** Services and EndpointSlices as the DNS tests create them. */
final class DnsObjects {
    private DnsObjects() {}

    /** A ClusterIP service with port "http" 80/TCP (and, when {@code ip} is "None", a headless one). */
    static Service service(String ns, String name, String ip) {
        return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withClusterIP(ip).addToSelector("app", name)
                .addNewPort().withName("http").withProtocol("TCP").withPort(80).endPort()
                .endSpec().build();
    }

    /** An empty IPv4 slice for {@code service} with port "http" on {@code port}. */
    static EndpointSliceBuilder slice(String ns, String name, String service, int port) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace(ns).withName(name)
                .addToLabels(ServiceDirectory.SERVICE_NAME_LABEL, service).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withProtocol("TCP").withPort(port).endPort();
    }

    static EndpointSlice withEndpoint(EndpointSliceBuilder b, String ip, boolean ready, String hostname) {
        return b.addToEndpoints(new EndpointBuilder().withAddresses(ip).withHostname(hostname)
                .withNewConditions().withReady(ready).endConditions().build()).build();
    }
}
