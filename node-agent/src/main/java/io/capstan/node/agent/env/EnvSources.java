package io.capstan.node.agent.env;

import java.util.Map;
import java.util.Optional;

/** Where env values come from besides the pod: ConfigMaps and Secrets of a namespace. */
public interface EnvSources {
    /** The data of ConfigMap {@code namespace/name}, or empty when it does not exist. */
    Optional<Map<String, String>> configMap(String namespace, String name);

    /** The decoded data (stringData merged) of Secret {@code namespace/name}, or empty when it does not exist. */
    Optional<Map<String, String>> secret(String namespace, String name);
}
