package io.capstan.node.agent.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.capstan.node.cri.ContainerSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvResolverTest {
    final Map<String, Map<String, String>> configMaps = Map.of("cfg", Map.of("color", "blue", "size", "10",
            "bad key", "skipped"));
    final Map<String, Map<String, String>> secrets = Map.of("creds", Map.of("password", "s3cret"));
    final EnvResolver resolver = new EnvResolver(new EnvSources() {
        @Override
        public Optional<Map<String, String>> configMap(String namespace, String name) {
            return Optional.ofNullable(configMaps.get(name));
        }

        @Override
        public Optional<Map<String, String>> secret(String namespace, String name) {
            return Optional.ofNullable(secrets.get(name));
        }
    });
    final EnvResolver.PodContext ctx = new EnvResolver.PodContext("10.0.0.5", "192.168.1.2",
            Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi")));

    static Pod pod(Container c) {
        return new PodBuilder().withNewMetadata().withName("web").withNamespace("shop").withUid("u-1")
                .addToLabels("app", "web").addToAnnotations("team", "blue").endMetadata()
                .withNewSpec().withNodeName("n1").withServiceAccountName("robot").withContainers(c).endSpec().build();
    }

    Map<String, String> resolve(Container c) throws ConfigError {
        Map<String, String> out = new LinkedHashMap<>();
        for (ContainerSpec.EnvVar v : resolver.resolve(pod(c), c, ctx)) {
            out.put(v.name(), v.value());
        }
        return out;
    }

    @Test
    void valuesExpandEarlierVariablesInOrder() throws Exception {
        Container c = new ContainerBuilder().withName("app")
                .addNewEnv().withName("A").withValue("one").endEnv()
                .addNewEnv().withName("B").withValue("$(A)-two-$(C)").endEnv()
                .addNewEnv().withName("C").withValue("three").endEnv()
                .build();
        Map<String, String> env = resolve(c);
        assertEquals("one-two-$(C)", env.get("B"));
        assertEquals(List.of("A", "B", "C"), List.copyOf(env.keySet()));
    }

    @Test
    void configMapAndSecretKeys() throws Exception {
        Container c = new ContainerBuilder().withName("app")
                .addNewEnv().withName("COLOR").withNewValueFrom().withNewConfigMapKeyRef("color", "cfg", null)
                .endValueFrom().endEnv()
                .addNewEnv().withName("PW").withNewValueFrom().withNewSecretKeyRef("password", "creds", null)
                .endValueFrom().endEnv()
                .addNewEnv().withName("OPT").withNewValueFrom().withNewConfigMapKeyRef("nope", "cfg", true)
                .endValueFrom().endEnv()
                .addNewEnv().withName("OPT2").withNewValueFrom().withNewSecretKeyRef("k", "missing", true)
                .endValueFrom().endEnv()
                .build();
        Map<String, String> env = resolve(c);
        assertEquals(Map.of("COLOR", "blue", "PW", "s3cret"), env);
    }

    @Test
    void missingNonOptionalReferencesGiveKubeletMessages() {
        Container key = new ContainerBuilder().withName("app").addNewEnv().withName("X").withNewValueFrom()
                .withNewConfigMapKeyRef("nope", "cfg", null).endValueFrom().endEnv().build();
        assertEquals("couldn't find key nope in ConfigMap shop/cfg",
                assertThrows(ConfigError.class, () -> resolve(key)).getMessage());
        Container map = new ContainerBuilder().withName("app").addNewEnv().withName("X").withNewValueFrom()
                .withNewConfigMapKeyRef("k", "absent", false).endValueFrom().endEnv().build();
        assertEquals("configmap \"absent\" not found", assertThrows(ConfigError.class, () -> resolve(map)).getMessage());
        Container secret = new ContainerBuilder().withName("app").addNewEnv().withName("X").withNewValueFrom()
                .withNewSecretKeyRef("user", "creds", null).endValueFrom().endEnv().build();
        assertEquals("couldn't find key user in Secret shop/creds",
                assertThrows(ConfigError.class, () -> resolve(secret)).getMessage());
        Container from = new ContainerBuilder().withName("app").addNewEnvFrom().withNewSecretRef("gone", null)
                .endEnvFrom().build();
        assertEquals("secret \"gone\" not found", assertThrows(ConfigError.class, () -> resolve(from)).getMessage());
    }

    @Test
    void envFromWithPrefixSkipsInvalidNamesAndEnvOverrides() throws Exception {
        Container c = new ContainerBuilder().withName("app")
                .addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef("cfg", null).endEnvFrom()
                .addNewEnvFrom().withNewConfigMapRef("absent", true).endEnvFrom()
                .addNewEnv().withName("CFG_size").withValue("$(CFG_size)0").endEnv()
                .build();
        Map<String, String> env = resolve(c);
        assertEquals("blue", env.get("CFG_color"));
        assertEquals("100", env.get("CFG_size"));
        assertEquals(2, env.size());
    }

    @Test
    void downwardApiFields() throws Exception {
        ContainerBuilder b = new ContainerBuilder().withName("app");
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("NAME", "metadata.name");
        paths.put("NS", "metadata.namespace");
        paths.put("UID", "metadata.uid");
        paths.put("APP", "metadata.labels['app']");
        paths.put("TEAM", "metadata.annotations['team']");
        paths.put("NONE", "metadata.labels['none']");
        paths.put("NODE", "spec.nodeName");
        paths.put("SA", "spec.serviceAccountName");
        paths.put("POD_IP", "status.podIP");
        paths.put("HOST_IP", "status.hostIP");
        paths.forEach((k, v) -> b.addNewEnv().withName(k).withNewValueFrom().withNewFieldRef("v1", v).endValueFrom()
                .endEnv());
        Map<String, String> env = resolve(b.build());
        assertEquals("web", env.get("NAME"));
        assertEquals("shop", env.get("NS"));
        assertEquals("u-1", env.get("UID"));
        assertEquals("web", env.get("APP"));
        assertEquals("blue", env.get("TEAM"));
        assertEquals("", env.get("NONE"));
        assertEquals("n1", env.get("NODE"));
        assertEquals("robot", env.get("SA"));
        assertEquals("10.0.0.5", env.get("POD_IP"));
        assertEquals("192.168.1.2", env.get("HOST_IP"));
    }

    @Test
    void resourceFieldsRoundUpAndDefaultToAllocatable() throws Exception {
        Container c = new ContainerBuilder().withName("app")
                .withNewResources().addToLimits("memory", new Quantity("100Mi")).addToRequests("cpu", new Quantity("250m"))
                .endResources()
                .addNewEnv().withName("MEM_MI").withNewValueFrom().withResourceFieldRef(new io.fabric8.kubernetes.api.model.ResourceFieldSelector(null, new Quantity("1Mi"), "limits.memory")).endValueFrom().endEnv()
                .addNewEnv().withName("CPU_REQ").withNewValueFrom().withResourceFieldRef(new io.fabric8.kubernetes.api.model.ResourceFieldSelector(null, null, "requests.cpu"))
                .endValueFrom().endEnv()
                .addNewEnv().withName("CPU_REQ_M").withNewValueFrom().withResourceFieldRef(new io.fabric8.kubernetes.api.model.ResourceFieldSelector(null, new Quantity("1m"), "requests.cpu")).endValueFrom().endEnv()
                .addNewEnv().withName("CPU_LIM").withNewValueFrom().withResourceFieldRef(new io.fabric8.kubernetes.api.model.ResourceFieldSelector(null, null, "limits.cpu"))
                .endValueFrom().endEnv()
                .build();
        Map<String, String> env = resolve(c);
        assertEquals("100", env.get("MEM_MI"));
        assertEquals("1", env.get("CPU_REQ"));
        assertEquals("250", env.get("CPU_REQ_M"));
        assertEquals("4", env.get("CPU_LIM"));
    }
}
