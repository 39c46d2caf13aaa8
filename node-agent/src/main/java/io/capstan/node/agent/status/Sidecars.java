package io.capstan.node.agent.status;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Sidecar containers: init containers with {@code restartPolicy: Always} (Kubernetes' restartable
 * init containers). They start in init order, keep running next to the app containers, are
 * restarted whenever they exit, and are stopped once the app containers are done.
 */
public final class Sidecars {
    private Sidecars() {}

    public static boolean isSidecar(Container c) {
        return "Always".equals(c.getRestartPolicy());
    }

    /** The names of {@code pod}'s sidecars. */
    public static Set<String> names(Pod pod) {
        List<Container> init = pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
        return init.stream().filter(Sidecars::isSidecar).map(Container::getName).collect(Collectors.toSet());
    }
}
