package io.capstan.node.agent.node;

import io.capstan.node.agent.AgentConfig;
import io.capstan.node.cri.ImageInfo;
import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Node object and node status this agent posts, computed from the machine and the images. */
final class NodeObjects {
    /** As kubelet's nodeStatusMaxImages: the largest 50 images are reported. */
    static final int MAX_IMAGES = 50;

    private NodeObjects() {}

    static Map<String, String> labels(AgentConfig config, MachineInfo m) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/hostname", config.nodeName());
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", m.architecture());
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("beta.kubernetes.io/arch", m.architecture());
        return labels;
    }

    /** The Node to create (status is ignored on create and posted separately). */
    static Node node(AgentConfig config, MachineInfo m) {
        return new NodeBuilder().withNewMetadata().withName(config.nodeName()).withLabels(labels(config, m))
                .addToAnnotations("node.alpha.kubernetes.io/ttl", "0").endMetadata()
                .withNewSpec().endSpec().build();
    }

    /** The capacity: cpus, memory, pods and the data dir's filesystem; allocatable is the same (no reservations). */
    static Map<String, Quantity> capacity(AgentConfig config, MachineInfo m) {
        Map<String, Quantity> c = new LinkedHashMap<>();
        c.put("cpu", new Quantity(Integer.toString(m.cpus())));
        c.put("ephemeral-storage", new Quantity(Long.toString(m.storageBytes() / 1024) + "Ki"));
        c.put("memory", new Quantity(Long.toString(m.memoryBytes() / 1024) + "Ki"));
        c.put("pods", new Quantity(Integer.toString(config.maxPods())));
        return c;
    }

    static String internalIp(AgentConfig config, MachineInfo m) {
        return config.internalIp() != null ? config.internalIp() : m.internalIp();
    }

    /** The whole node status. */
    static NodeStatus status(AgentConfig config, MachineInfo m, List<ImageInfo> images, List<NodeCondition> current,
            Instant now, int kubeletPort) {
        Map<String, Quantity> capacity = capacity(config, m);
        return new NodeStatusBuilder().withCapacity(capacity).withAllocatable(new LinkedHashMap<>(capacity))
                .addNewAddress().withType("InternalIP").withAddress(internalIp(config, m)).endAddress()
                .addNewAddress().withType("Hostname").withAddress(m.hostname()).endAddress()
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(kubeletPort).endKubeletEndpoint()
                .endDaemonEndpoints()
                .withNewNodeInfo().withArchitecture(m.architecture()).withOperatingSystem("linux")
                .withOsImage(m.osImage()).withKernelVersion(m.kernelVersion())
                .withContainerRuntimeVersion("capstan://" + config.runtimeVersion())
                .withKubeletVersion(config.kubeletVersion()).withKubeProxyVersion(config.kubeletVersion())
                .withMachineID(m.machineId()).withSystemUUID(m.machineId()).withBootID(m.bootId()).endNodeInfo()
                .withImages(images(images))
                .withConditions(NodeConditions.of(m, current, now))
                .build();
    }

    /** status.images: every reference of each image with its size, largest first, at most 50. */
    static List<ContainerImage> images(List<ImageInfo> images) {
        return images.stream().sorted(Comparator.comparingLong(ImageInfo::sizeBytes).reversed()
                        .thenComparing(ImageInfo::id))
                .limit(MAX_IMAGES)
                .map(i -> new ContainerImage(i.references().isEmpty() ? List.of(i.id()) : i.references(),
                        i.sizeBytes()))
                .toList();
    }
}
