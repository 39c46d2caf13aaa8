package io.capstan.node.agent.env;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The downward API's fieldRef and resourceFieldRef values, as kubelet computes them. */
final class DownwardApi {
    private static final Pattern SUBSCRIPT = Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]");

    private DownwardApi() {}

    static String field(Pod pod, String path, EnvResolver.PodContext ctx) throws ConfigError {
        var meta = pod.getMetadata();
        Matcher m = SUBSCRIPT.matcher(path == null ? "" : path);
        if (m.matches()) {
            Map<String, String> map = m.group(1).equals("labels") ? meta.getLabels() : meta.getAnnotations();
            String v = map == null ? null : map.get(m.group(2));
            return v == null ? "" : v;
        }
        return switch (path == null ? "" : path) {
            case "metadata.name" -> meta.getName();
            case "metadata.namespace" -> meta.getNamespace();
            case "metadata.uid" -> meta.getUid();
            case "spec.nodeName" -> nullToEmpty(pod.getSpec().getNodeName());
            case "spec.serviceAccountName" -> nullToEmpty(pod.getSpec().getServiceAccountName());
            case "status.podIP", "status.podIPs" -> nullToEmpty(ctx.podIp());
            case "status.hostIP", "status.hostIPs" -> nullToEmpty(ctx.hostIp());
            default -> throw new ConfigError("unsupported fieldPath: " + path);
        };
    }

    static Optional<Container> container(Pod pod, String name) {
        Stream<Container> all = Stream.concat(
                pod.getSpec().getInitContainers() == null ? Stream.empty() : pod.getSpec().getInitContainers().stream(),
                pod.getSpec().getContainers() == null ? Stream.empty() : pod.getSpec().getContainers().stream());
        return all.filter(c -> name.equals(c.getName())).findFirst();
    }

    /**
     * A container's limit or request of cpu, memory or ephemeral-storage divided by {@code divisor}
     * and rounded up; an unset limit is the node's allocatable, an unset request the limit or 0.
     */
    static String resource(Container c, String resource, Quantity divisor, Map<String, Quantity> allocatable)
            throws ConfigError {
        if (resource == null || !resource.contains(".")) {
            throw new ConfigError("unsupported container resource: " + resource);
        }
        String kind = resource.substring(0, resource.indexOf('.'));
        String name = resource.substring(resource.indexOf('.') + 1);
        if (!name.equals("cpu") && !name.equals("memory") && !name.equals("ephemeral-storage")) {
            throw new ConfigError("unsupported container resource: " + resource);
        }
        var res = c.getResources();
        Map<String, Quantity> limits = res == null || res.getLimits() == null ? Map.of() : res.getLimits();
        Map<String, Quantity> requests = res == null || res.getRequests() == null ? Map.of() : res.getRequests();
        Quantity q;
        if (kind.equals("limits")) {
            q = limits.containsKey(name) ? limits.get(name) : allocatable.get(name);
        } else if (kind.equals("requests")) {
            q = requests.containsKey(name) ? requests.get(name) : limits.get(name);
        } else {
            throw new ConfigError("unsupported container resource: " + resource);
        }
        BigDecimal amount = q == null ? BigDecimal.ZERO : q.getNumericalAmount();
        BigDecimal div = divisor == null || divisor.getAmount() == null || divisor.getAmount().isEmpty()
                ? BigDecimal.ONE : divisor.getNumericalAmount();
        if (div.signum() == 0) {
            div = BigDecimal.ONE;
        }
        BigDecimal value = amount.divide(div, 0, RoundingMode.CEILING);
        if (name.equals("cpu") && value.signum() == 0 && amount.signum() > 0) {
            value = BigDecimal.ONE;
        }
        return value.toPlainString();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
