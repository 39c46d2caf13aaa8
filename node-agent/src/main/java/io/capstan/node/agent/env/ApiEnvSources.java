package io.capstan.node.agent.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** ConfigMaps and Secrets read from the API at the moment a container starts (kubelet's Get strategy). */
public final class ApiEnvSources implements EnvSources {
    private final KubernetesClient client;

    public ApiEnvSources(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<Map<String, String>> configMap(String namespace, String name) {
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
        if (cm == null) {
            return Optional.empty();
        }
        Map<String, String> data = new LinkedHashMap<>();
        if (cm.getData() != null) {
            data.putAll(cm.getData());
        }
        return Optional.of(data);
    }

    @Override
    public Optional<Map<String, String>> secret(String namespace, String name) {
        Secret s = client.secrets().inNamespace(namespace).withName(name).get();
        if (s == null) {
            return Optional.empty();
        }
        Map<String, String> data = new LinkedHashMap<>();
        if (s.getData() != null) {
            s.getData().forEach((k, v) -> data.put(k,
                    new String(Base64.getDecoder().decode(v == null ? "" : v), StandardCharsets.UTF_8)));
        }
        if (s.getStringData() != null) {
            data.putAll(s.getStringData());
        }
        return Optional.of(data);
    }
}
