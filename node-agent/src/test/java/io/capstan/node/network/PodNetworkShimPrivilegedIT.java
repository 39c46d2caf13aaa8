package io.capstan.node.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.capstan.node.shim.ContainerLaunch;
import io.capstan.node.shim.SandboxLaunch;
import io.capstan.node.shim.Shim;
import io.capstan.node.shim.ShimProcess;
import io.capstan.node.sys.MountTable;
import io.capstan.node.sys.Sys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pinned namespace with the real shim: the sandbox joins it through {@code --netns} (what
 * {@code SandboxSpec.netnsPath} becomes), and a container of the pod serves on the pod IP.
 */
@Tag("privileged")
class PodNetworkShimPrivilegedIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void aSandboxJoinsThePinnedNamespaceAndItsContainerServesOnThePodIp() throws Exception {
        List<ShimProcess> started = new ArrayList<>();
        PodNetwork net = null;
        try (NetnsFixture host = new NetnsFixture()) {
            try {
                net = new PodNetwork(NetworkConfig.defaults(tmp.resolve("data"), "10.244.7.0/24").withHostNetns(host.path));
                net.start();
                PodAttachment a = net.setUp("pod-shim", List.of(new PortMapping(18090, 8080, "tcp", null)));
                Shim shim = Shim.install(tmp.resolve("data"));
                Path rootfs = rootfs(tmp.resolve("rootfs"));

                ShimProcess holder = shim.start(new SandboxLaunch(tmp.resolve("holder"), "pod-shim", a.netnsPath(), false));
                started.add(holder);
                long holderPid = holder.awaitStarted(WAIT);
                assertEquals(Files.getAttribute(a.netnsPath(), "unix:ino"),
                        Files.getAttribute(Path.of("/proc", "" + holderPid, "ns/net"), "unix:ino"));

                ShimProcess server = shim.start(ContainerLaunch.builder(rootfs, tmp.resolve("server"),
                                List.of("/bin/busybox", "nc", "-ll", "-p", "8080", "-e", "/bin/busybox", "echo", "hi-from-pod"))
                        .joinSandbox(holderPid, false).build());
                started.add(server);
                server.awaitStarted(WAIT);

                assertEquals("hi-from-pod", NetnsFixture.fetch(host.path, a.ips().get(0), 8080));
                assertEquals("hi-from-pod", NetnsFixture.fetch(host.path, "127.0.0.1", 18090));

                for (ShimProcess p : started) {
                    p.kill();
                    p.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
                net.tearDown("pod-shim");
                assertFalse(Files.exists(a.netnsPath()));
            } finally {
                for (ShimProcess p : started) {
                    if (p.isRunning()) {
                        p.kill();
                        p.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    }
                }
                if (net != null) {
                    net.cleanup();
                }
                for (MountTable.Mount m : MountTable.under(tmp.toRealPath())) {
                    Sys.umount(m.mountPoint(), Sys.MNT_DETACH);
                }
            }
        }
    }

    private static Path rootfs(Path root) throws Exception {
        for (String d : List.of("bin", "proc", "sys", "dev", "tmp", "etc")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        return root;
    }
}
