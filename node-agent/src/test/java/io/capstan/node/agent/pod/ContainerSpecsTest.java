package io.capstan.node.agent.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.node.cgroup.Resources;
import io.capstan.node.cri.ContainerResources;
import io.capstan.node.cri.PodResources;
import io.capstan.node.cri.SecuritySpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Security context merge, resources and the pull policy default. */
class ContainerSpecsTest {
    static Pod pod(Container... cs) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("n").withUid("u").endMetadata()
                .withNewSpec().withNewSecurityContext().withRunAsUser(1000L).withRunAsGroup(2000L)
                .withSupplementalGroups(5L).withFsGroup(7L).endSecurityContext().withContainers(cs).endSpec().build();
    }

    @Test
    void containerSecurityContextOverridesThePods() {
        Container plain = new ContainerBuilder().withName("a").build();
        SecuritySpec s = SecurityContexts.merge(pod(plain), plain);
        assertEquals(1000L, s.runAsUser());
        assertEquals(2000L, s.runAsGroup());
        assertEquals(List.of(5L, 7L), s.supplementalGroups());
        assertTrue(s.noNewPrivileges());
        assertFalse(s.privileged());

        Container own = new ContainerBuilder().withName("b").withNewSecurityContext().withRunAsUser(0L)
                .withReadOnlyRootFilesystem(true).withAllowPrivilegeEscalation(true)
                .withNewCapabilities().withAdd("NET_ADMIN").withDrop("ALL").endCapabilities().endSecurityContext().build();
        SecuritySpec o = SecurityContexts.merge(pod(own), own);
        assertEquals(0L, o.runAsUser());
        assertEquals(2000L, o.runAsGroup());
        assertFalse(o.noNewPrivileges());
        assertTrue(o.readOnlyRootFilesystem());
        assertEquals(List.of("NET_ADMIN"), o.capabilitiesAdd());
        assertEquals(List.of("ALL"), o.capabilitiesDrop());

        Container privileged = new ContainerBuilder().withName("c").withNewSecurityContext().withPrivileged(true)
                .endSecurityContext().build();
        SecuritySpec p = SecurityContexts.merge(pod(privileged), privileged);
        assertTrue(p.privileged());
        assertFalse(p.noNewPrivileges());
    }

    @Test
    void resourcesAndQos() {
        Container guaranteed = new ContainerBuilder().withName("g").withNewResources()
                .addToLimits("cpu", new Quantity("500m")).addToLimits("memory", new Quantity("64Mi")).endResources()
                .build();
        assertEquals(new ContainerResources(64L * 1024 * 1024, 500, 500, 0), Resources.forContainer(guaranteed));
        assertEquals(new PodResources("Guaranteed", 64L * 1024 * 1024, 500, 500), Resources.forPod(pod(guaranteed)));

        Container burstable = new ContainerBuilder().withName("b").withNewResources()
                .addToRequests("cpu", new Quantity("100m")).endResources().build();
        assertEquals(new ContainerResources(0, 0, 100, 0), Resources.forContainer(burstable));
        assertEquals(new PodResources("Burstable", 0, 0, 600), Resources.forPod(pod(guaranteed, burstable)));

        assertEquals("BestEffort", PodSyncer.qosClass(pod(new ContainerBuilder().withName("e").build())));
    }

    @Test
    void pullPolicyDefaultsAsTheApiServerDoes() {
        assertEquals("Always", ContainerStarter.pullPolicy(new ContainerBuilder().withImage("busybox").build()));
        assertEquals("Always", ContainerStarter.pullPolicy(new ContainerBuilder().withImage("busybox:latest").build()));
        assertEquals("IfNotPresent", ContainerStarter.pullPolicy(new ContainerBuilder().withImage("busybox:1.36").build()));
        assertEquals("IfNotPresent", ContainerStarter.pullPolicy(
                new ContainerBuilder().withImage("registry.local:5000/app").withImagePullPolicy("IfNotPresent").build()));
        assertEquals("Always", ContainerStarter.pullPolicy(new ContainerBuilder().withImage("registry.local:5000/app").build()));
        assertEquals("IfNotPresent", ContainerStarter.pullPolicy(new ContainerBuilder().withImage("a@sha256:00").build()));
    }

    @Test
    void sandboxes() throws Exception {
        Pod plain = pod(new ContainerBuilder().withName("a").build());
        var spec = PodSyncer.sandbox(plain);
        assertEquals("p", spec.hostname());
        assertEquals(null, spec.netnsPath());
        Pod host = new io.fabric8.kubernetes.api.model.PodBuilder(plain).editSpec().withHostNetwork(true)
                .withHostname("custom").endSpec().build();
        var hostSpec = PodSyncer.sandbox(host);
        assertEquals("custom", hostSpec.hostname());
        assertEquals("/proc/" + ProcessHandle.current().pid() + "/ns/net", hostSpec.netnsPath());
    }

    @Test
    void shareProcessNamespaceAndSafeSysctlsReachTheSandbox() throws Exception {
        Pod pod = new io.fabric8.kubernetes.api.model.PodBuilder(pod(new ContainerBuilder().withName("a").build()))
                .editSpec().withShareProcessNamespace(true).withNewSecurityContext()
                .addNewSysctl().withName("net.ipv4.ip_unprivileged_port_start").withValue("0").endSysctl()
                .addNewSysctl().withName("kernel/shm_rmid_forced").withValue("1").endSysctl()
                .endSecurityContext().endSpec().build();
        var spec = PodSyncer.sandbox(pod);
        assertEquals(true, spec.shareProcessNamespace());
        assertEquals(java.util.Map.of("net.ipv4.ip_unprivileged_port_start", "0", "kernel.shm_rmid_forced", "1"),
                spec.sysctls());
        assertEquals(false, PodSyncer.sandbox(pod(new ContainerBuilder().withName("a").build())).shareProcessNamespace());
    }

    @Test
    void unsafeSysctlsAreForbiddenAsTheKubeletForbidsThem() {
        Pod unsafe = new io.fabric8.kubernetes.api.model.PodBuilder(pod(new ContainerBuilder().withName("a").build()))
                .editSpec().withNewSecurityContext().addNewSysctl().withName("net.core.somaxconn").withValue("1024")
                .endSysctl().endSecurityContext().endSpec().build();
        var f = org.junit.jupiter.api.Assertions.assertThrows(io.capstan.node.cri.RuntimeFailure.class,
                () -> PodSyncer.sandbox(unsafe));
        assertEquals("SysctlForbidden", f.reason());
        assertEquals("forbidden sysctl: \"net.core.somaxconn\" not allowlisted", f.getMessage());
        Pod hostNet = new io.fabric8.kubernetes.api.model.PodBuilder(pod(new ContainerBuilder().withName("a").build()))
                .editSpec().withHostNetwork(true).withNewSecurityContext().addNewSysctl()
                .withName("net.ipv4.tcp_syncookies").withValue("1").endSysctl().endSecurityContext().endSpec().build();
        var g = org.junit.jupiter.api.Assertions.assertThrows(io.capstan.node.cri.RuntimeFailure.class,
                () -> PodSyncer.sandbox(hostNet));
        assertEquals("forbidden sysctl: \"net.ipv4.tcp_syncookies\" not allowed with host net enabled", g.getMessage());
    }
}
