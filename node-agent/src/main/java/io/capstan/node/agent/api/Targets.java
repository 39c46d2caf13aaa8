package io.capstan.node.agent.api;

import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.ContainerStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Resolves a request's namespace, pod and container to a {@link Target}: the pod from the agent's
 * watch of its pods (404 for a pod this node does not run), the container from its spec (400
 * {@code container <c> is not valid for pod <p>}), the attempts from the runtime.
 */
final class Targets {
    private final BiFunction<String, String, Pod> pods;
    private final ContainerRuntime runtime;

    /** {@code pods} returns the pod of this node with a namespace and name, or {@code null}. */
    Targets(BiFunction<String, String, Pod> pods, ContainerRuntime runtime) {
        this.pods = pods;
        this.runtime = runtime;
    }

    Target pod(String ns, String name) throws ApiError {
        Pod pod = find(ns, name);
        return new Target(ns, name, pod.getMetadata().getUid(), "", null, null, null);
    }

    Target container(String ns, String name, String container) throws ApiError {
        Pod pod = find(ns, name);
        if (!declared(pod, container)) {
            throw ApiError.badRequest("container " + container + " is not valid for pod " + name);
        }
        String uid = pod.getMetadata().getUid();
        List<ContainerStatus> attempts = new ArrayList<>(runtime.listContainers().stream()
                .filter(c -> uid.equals(c.podUid()) && container.equals(c.name()))
                .sorted(Comparator.comparingInt(ContainerStatus::attempt)
                        .thenComparing(c -> c.startedAt() == null ? java.time.Instant.MIN : c.startedAt()))
                .toList());
        ContainerStatus current = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
        ContainerStatus previous = null;
        for (int i = attempts.size() - 2; i >= 0 && current != null; i--) {
            if (attempts.get(i).attempt() < current.attempt()) {
                previous = attempts.get(i);
                break;
            }
        }
        return new Target(ns, name, uid, container, current, previous, waitingReason(pod, container));
    }

    private Pod find(String ns, String name) throws ApiError {
        Pod pod = pods.apply(ns, name);
        if (pod == null || pod.getMetadata() == null || pod.getMetadata().getUid() == null) {
            throw ApiError.notFound("pod \"" + name + "\" in namespace \"" + ns + "\" is not running on this node");
        }
        return pod;
    }

    private static boolean declared(Pod pod, String container) {
        if (pod.getSpec() == null) {
            return false;
        }
        List<Container> all = new ArrayList<>();
        if (pod.getSpec().getContainers() != null) {
            all.addAll(pod.getSpec().getContainers());
        }
        if (pod.getSpec().getInitContainers() != null) {
            all.addAll(pod.getSpec().getInitContainers());
        }
        return all.stream().anyMatch(c -> container.equals(c.getName()));
    }

    private static String waitingReason(Pod pod, String container) {
        if (pod.getStatus() != null) {
            List<io.fabric8.kubernetes.api.model.ContainerStatus> all = new ArrayList<>();
            if (pod.getStatus().getContainerStatuses() != null) {
                all.addAll(pod.getStatus().getContainerStatuses());
            }
            if (pod.getStatus().getInitContainerStatuses() != null) {
                all.addAll(pod.getStatus().getInitContainerStatuses());
            }
            for (io.fabric8.kubernetes.api.model.ContainerStatus s : all) {
                if (container.equals(s.getName()) && s.getState() != null && s.getState().getWaiting() != null
                        && s.getState().getWaiting().getReason() != null) {
                    return s.getState().getWaiting().getReason();
                }
            }
        }
        return "ContainerCreating";
    }
}
