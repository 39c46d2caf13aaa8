package io.capstan.node.agent.pod;

import io.capstan.controllers.runtime.Request;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The queue key (namespace/name) of each pod uid this agent synced, so a container exit finds its pod. */
final class PodKeys {
    private final Map<String, Request> byUid = new ConcurrentHashMap<>();

    void put(String uid, Request key) {
        byUid.put(uid, key);
    }

    Request get(String uid) {
        return byUid.get(uid);
    }

    void remove(String uid) {
        byUid.remove(uid);
    }
}
