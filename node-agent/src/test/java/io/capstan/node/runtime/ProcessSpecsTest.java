package io.capstan.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.node.cri.ContainerResources;
import io.capstan.node.cri.ContainerSpec;
import io.capstan.node.cri.ContainerSpec.EnvVar;
import io.capstan.node.cri.RuntimeFailure;
import io.capstan.node.cri.SecuritySpec;
import io.capstan.node.image.ImageConfig;
import io.capstan.node.shim.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessSpecsTest {
    private static final ImageConfig IMAGE = new ImageConfig(List.of("/entry"), List.of("default-arg"),
            List.of("PATH=/bin", "A=image", "B=image"), "/srv", "", Map.of());

    private static ContainerSpec spec(List<String> command, List<String> args, List<EnvVar> env, String cwd) {
        return new ContainerSpec("uid", "c", 0, "img", command, args, env, cwd, SecuritySpec.defaults(),
                ContainerResources.none(), List.of(), false, false);
    }

    @Test
    void commandReplacesEntrypointAndDropsImageCmd() throws Exception {
        assertEquals(List.of("/entry", "default-arg"), ProcessSpecs.argv(spec(List.of(), List.of(), List.of(), null), IMAGE));
        assertEquals(List.of("/entry", "x", "y"), ProcessSpecs.argv(spec(List.of(), List.of("x", "y"), List.of(), null), IMAGE));
        assertEquals(List.of("sh"), ProcessSpecs.argv(spec(List.of("sh"), List.of(), List.of(), null), IMAGE));
        assertEquals(List.of("sh", "-c", "true"),
                ProcessSpecs.argv(spec(List.of("sh"), List.of("-c", "true"), List.of(), null), IMAGE));
    }

    @Test
    void noCommandAnywhereIsACreateContainerError() {
        ImageConfig empty = new ImageConfig(List.of(), List.of(), List.of(), "", "", Map.of());
        RuntimeFailure f = assertThrows(RuntimeFailure.class,
                () -> ProcessSpecs.argv(spec(List.of(), List.of(), List.of(), null), empty));
        assertEquals("CreateContainerError", f.reason());
        assertTrue(f.getMessage().contains("no command"), f.getMessage());
    }

    @Test
    void podEnvOverridesImageEnvInPlace() throws Exception {
        Map<String, String> env = ProcessSpecs.env(spec(List.of(), List.of(),
                List.of(new EnvVar("B", "pod"), new EnvVar("C", "pod")), null), IMAGE);
        assertEquals(List.of("PATH=/bin", "A=image", "B=pod", "C=pod"),
                env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    @Test
    void workingDirFromPodThenImageThenRoot() {
        assertEquals("/work", ProcessSpecs.cwd(spec(List.of(), List.of(), List.of(), "/work"), IMAGE));
        assertEquals("/srv", ProcessSpecs.cwd(spec(List.of(), List.of(), List.of(), ""), IMAGE));
        assertEquals("/", ProcessSpecs.cwd(spec(List.of(), List.of(), List.of(), null),
                new ImageConfig(List.of(), List.of(), List.of(), "", "", Map.of())));
    }

    @Test
    void imageUserIsNumericOrLookedUpInTheRootfs(@TempDir Path rootfs) throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nweb:x:1000:1001::/home/web:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nwebgrp:x:1001:\nextra:x:2000:web,other\n");
        SecuritySpec none = SecuritySpec.defaults();
        Privileges p = ProcessSpecs.privileges(none, "web", rootfs);
        assertEquals(1000L, p.uid());
        assertEquals(1001L, p.gid());
        assertEquals(List.of(2000L), p.groups());
        p = ProcessSpecs.privileges(none, "1000:extra", rootfs);
        assertEquals(1000L, p.uid());
        assertEquals(2000L, p.gid());
        p = ProcessSpecs.privileges(none, "4242:4343", rootfs);
        assertEquals(4242L, p.uid());
        assertEquals(4343L, p.gid());
        p = ProcessSpecs.privileges(none, "", rootfs);
        assertEquals(0L, p.uid());
        assertEquals(0L, p.gid());
        RuntimeFailure f = assertThrows(RuntimeFailure.class, () -> ProcessSpecs.privileges(none, "nobody", rootfs));
        assertEquals("CreateContainerError", f.reason());
        assertTrue(f.getMessage().contains("nobody"), f.getMessage());
        assertThrows(RuntimeFailure.class, () -> ProcessSpecs.privileges(none, "web:nogroup", rootfs));
    }

    @Test
    void runAsUserAndGroupOverrideTheImage(@TempDir Path rootfs) throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "web:x:1000:1001::/:/bin/sh\n");
        SecuritySpec asWeb = new SecuritySpec(1000L, null, List.of(7L), List.of(), List.of(), false, true, false);
        Privileges p = ProcessSpecs.privileges(asWeb, "0:0", rootfs);
        assertEquals(1000L, p.uid());
        assertEquals(1001L, p.gid());
        assertEquals(List.of(7L), p.groups());
        assertTrue(p.noNewPrivileges());
        SecuritySpec withGroup = new SecuritySpec(5L, 6L, List.of(), List.of(), List.of(), false, true, false);
        p = ProcessSpecs.privileges(withGroup, "web", rootfs);
        assertEquals(5L, p.uid());
        assertEquals(6L, p.gid());
    }

    @Test
    void passwdReachedThroughASymlinkIsIgnored(@TempDir Path dir) throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs/etc"));
        Files.writeString(dir.resolve("host-passwd"), "web:x:1000:1000::/:/bin/sh\n");
        Files.createSymbolicLink(rootfs.resolve("passwd"), dir.resolve("host-passwd"));
        assertThrows(RuntimeFailure.class, () -> ProcessSpecs.privileges(SecuritySpec.defaults(), "web", rootfs.getParent()));
    }
}
