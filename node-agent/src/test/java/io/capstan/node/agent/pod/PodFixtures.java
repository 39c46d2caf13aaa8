package io.capstan.node.agent.pod;

import io.capstan.node.agent.AgentFixture;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.Optional;

/** Pods for the agent ITs, bound to the fixture's node. */
final class PodFixtures {
    private PodFixtures() {}

    static Container container(String name, String... command) {
        return new ContainerBuilder().withName(name).withImage(AgentFixture.IMAGE).withCommand(command).build();
    }

    static PodBuilder pod(String ns, String name, String restartPolicy, Container... containers) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withNodeName(AgentFixture.NODE).withRestartPolicy(restartPolicy)
                .withContainers(containers).endSpec();
    }

    static Optional<ContainerStatus> status(Pod pod, String container) {
        if (pod == null || pod.getStatus() == null) {
            return Optional.empty();
        }
        List<ContainerStatus> all = new java.util.ArrayList<>();
        if (pod.getStatus().getContainerStatuses() != null) {
            all.addAll(pod.getStatus().getContainerStatuses());
        }
        if (pod.getStatus().getInitContainerStatuses() != null) {
            all.addAll(pod.getStatus().getInitContainerStatuses());
        }
        return all.stream().filter(s -> container.equals(s.getName())).findFirst();
    }

    static String phase(Pod pod) {
        return pod == null || pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    static String waitingReason(Pod pod, String container) {
        return status(pod, container).map(s -> s.getState().getWaiting()).map(w -> w.getReason()).orElse(null);
    }

    /** The "reason: message" of every event about pod {@code uid} in {@code ns}. */
    static List<String> events(io.fabric8.kubernetes.client.KubernetesClient client, String ns, String uid) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> uid.equals(e.getInvolvedObject().getUid()))
                .map(e -> e.getReason() + ": " + e.getMessage()).toList();
    }

    static Optional<PodCondition> condition(Pod pod, String type) {
        if (pod == null || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }
}
