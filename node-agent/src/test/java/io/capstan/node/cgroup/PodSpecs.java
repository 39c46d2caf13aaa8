package io.capstan.node.cgroup;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small pod and container builders for the resource tests. */
final class PodSpecs {

    private PodSpecs() {}

    /** A container; requests and limits as alternating name/quantity strings. */
    static Container container(String name, Map<String, String> requests, Map<String, String> limits) {
        return new ContainerBuilder().withName(name).withImage("busybox")
                .withNewResources().withRequests(quantities(requests)).withLimits(quantities(limits)).endResources()
                .build();
    }

    static Container noResources(String name) {
        return new ContainerBuilder().withName(name).withImage("busybox").build();
    }

    static Container sidecar(Container c) {
        return new ContainerBuilder(c).withRestartPolicy("Always").build();
    }

    static Pod pod(List<Container> containers, List<Container> initContainers) {
        return new PodBuilder().withNewMetadata().withName("p").withUid("u1").endMetadata()
                .withNewSpec().withContainers(containers).withInitContainers(initContainers).endSpec().build();
    }

    static Pod pod(Container... containers) {
        return pod(List.of(containers), List.of());
    }

    static Map<String, String> res(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Map<String, Quantity> quantities(Map<String, String> m) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, new Quantity(v)));
        return out;
    }
}
