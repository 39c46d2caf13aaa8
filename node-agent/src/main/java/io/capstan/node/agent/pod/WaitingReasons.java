package io.capstan.node.agent.pod;

import io.capstan.node.agent.status.Waiting;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Why each container of each pod (by uid) is not running although it should, as last found by its sync. */
final class WaitingReasons {
    private final Map<String, Map<String, Waiting>> byPod = new ConcurrentHashMap<>();

    void set(String uid, String container, Waiting w) {
        byPod.computeIfAbsent(uid, k -> new ConcurrentHashMap<>()).put(container, w);
    }

    void clear(String uid, String container) {
        Map<String, Waiting> m = byPod.get(uid);
        if (m != null) {
            m.remove(container);
        }
    }

    Map<String, Waiting> of(String uid) {
        return Map.copyOf(byPod.getOrDefault(uid, Map.of()));
    }

    void forget(String uid) {
        byPod.remove(uid);
    }
}
