package io.capstan.node.agent.pod;

import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.ContainerStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The runtime's containers of one pod, by container name, oldest attempt first. */
final class RuntimePods {
    private RuntimePods() {}

    static Map<String, List<ContainerStatus>> containers(ContainerRuntime runtime, String uid) {
        Map<String, List<ContainerStatus>> out = new LinkedHashMap<>();
        runtime.listContainers().stream().filter(c -> uid.equals(c.podUid()))
                .sorted(Comparator.comparingInt(ContainerStatus::attempt)
                        .thenComparing(c -> c.startedAt() == null ? java.time.Instant.MIN : c.startedAt()))
                .forEach(c -> out.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(c));
        return out;
    }

    static ContainerStatus latest(Map<String, List<ContainerStatus>> containers, String name) {
        List<ContainerStatus> l = containers.get(name);
        return l == null || l.isEmpty() ? null : l.get(l.size() - 1);
    }

    static boolean running(ContainerStatus c) {
        return c != null && c.state() != ContainerStatus.ContainerState.EXITED;
    }
}
