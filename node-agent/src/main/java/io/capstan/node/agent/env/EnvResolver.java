package io.capstan.node.agent.env;

import io.capstan.node.cri.ContainerSpec;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container's environment as kubelet builds it: first {@code envFrom} (ConfigMaps and Secrets,
 * with their prefix; keys that are not valid variable names skipped), then {@code env} in order,
 * each value expanded with the variables defined before it; {@code valueFrom} reads ConfigMap and
 * Secret keys (a missing object or key is skipped when {@code optional}, else a {@link ConfigError}
 * with kubelet's message), pod fields (downward API) and container resources.
 */
public final class EnvResolver {
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private final EnvSources sources;

    public EnvResolver(EnvSources sources) {
        this.sources = sources;
    }

    /** The resolved variables of {@code container}, in order; {@code ctx} holds what the downward API reads. */
    public List<ContainerSpec.EnvVar> resolve(Pod pod, Container container, PodContext ctx) throws ConfigError {
        String ns = pod.getMetadata().getNamespace();
        Map<String, String> vars = new LinkedHashMap<>();
        envFrom(ns, container, vars);
        if (container.getEnv() != null) {
            for (EnvVar env : container.getEnv()) {
                String value;
                if (env.getValueFrom() != null) {
                    value = valueFrom(pod, container, env.getValueFrom(), ctx);
                    if (value == null) {
                        continue;
                    }
                } else {
                    value = Expansion.expand(env.getValue() == null ? "" : env.getValue(), vars);
                }
                vars.put(env.getName(), value);
            }
        }
        List<ContainerSpec.EnvVar> out = new ArrayList<>();
        vars.forEach((k, v) -> out.add(new ContainerSpec.EnvVar(k, v)));
        return out;
    }

    /** Adds the variables of the container's envFrom sources to {@code vars}. */
    private void envFrom(String ns, Container container, Map<String, String> vars) throws ConfigError {
        if (container.getEnvFrom() == null) {
            return;
        }
        for (EnvFromSource from : container.getEnvFrom()) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            Optional<Map<String, String>> data;
            if (from.getConfigMapRef() != null) {
                var ref = from.getConfigMapRef();
                data = required(sources.configMap(ns, ref.getName()), ref.getOptional(),
                        "configmap \"" + ref.getName() + "\" not found");
            } else if (from.getSecretRef() != null) {
                var ref = from.getSecretRef();
                data = required(sources.secret(ns, ref.getName()), ref.getOptional(),
                        "secret \"" + ref.getName() + "\" not found");
            } else {
                continue;
            }
            data.ifPresent(d -> d.forEach((k, v) -> {
                if (ENV_NAME.matcher(prefix + k).matches()) {
                    vars.put(prefix + k, v);
                }
            }));
        }
    }

    /** {@code data}, or a {@link ConfigError} when it is missing and not optional. */
    private static Optional<Map<String, String>> required(Optional<Map<String, String>> data, Boolean optional,
            String message) throws ConfigError {
        if (data.isEmpty() && !Boolean.TRUE.equals(optional)) {
            throw new ConfigError(message);
        }
        return data;
    }

    /** The value of one {@code valueFrom}, or null to leave the variable out (an optional missing key). */
    private String valueFrom(Pod pod, Container container, EnvVarSource from, PodContext ctx) throws ConfigError {
        String ns = pod.getMetadata().getNamespace();
        if (from.getConfigMapKeyRef() != null) {
            ConfigMapKeySelector ref = from.getConfigMapKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Optional<Map<String, String>> cm = sources.configMap(ns, ref.getName());
            if (cm.isEmpty()) {
                if (optional) {
                    return null;
                }
                throw new ConfigError("configmap \"" + ref.getName() + "\" not found");
            }
            String v = cm.get().get(ref.getKey());
            if (v == null && !optional) {
                throw new ConfigError("couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/"
                        + ref.getName());
            }
            return v;
        }
        if (from.getSecretKeyRef() != null) {
            SecretKeySelector ref = from.getSecretKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Optional<Map<String, String>> s = sources.secret(ns, ref.getName());
            if (s.isEmpty()) {
                if (optional) {
                    return null;
                }
                throw new ConfigError("secret \"" + ref.getName() + "\" not found");
            }
            String v = s.get().get(ref.getKey());
            if (v == null && !optional) {
                throw new ConfigError("couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
            }
            return v;
        }
        if (from.getFieldRef() != null) {
            return DownwardApi.field(pod, from.getFieldRef().getFieldPath(), ctx);
        }
        if (from.getResourceFieldRef() != null) {
            var ref = from.getResourceFieldRef();
            Container target = container;
            if (ref.getContainerName() != null && !ref.getContainerName().isEmpty()) {
                target = DownwardApi.container(pod, ref.getContainerName())
                        .orElseThrow(() -> new ConfigError("container " + ref.getContainerName() + " not found"));
            }
            return DownwardApi.resource(target, ref.getResource(), ref.getDivisor(), ctx.allocatable());
        }
        return "";
    }

    /**
     * What the downward API needs besides the pod: its IPs and the node's allocatable resources
     * (the value of a limit a container does not set).
     */
    public record PodContext(String podIp, String hostIp, Map<String, Quantity> allocatable) {
        public PodContext {
            allocatable = allocatable == null ? Map.of() : Map.copyOf(allocatable);
        }
    }
}
