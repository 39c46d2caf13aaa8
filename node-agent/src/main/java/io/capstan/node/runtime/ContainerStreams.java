package io.capstan.node.runtime;

import io.capstan.node.cgroup.PodCgroups;
import io.capstan.node.cri.ContainerInput;
import io.capstan.node.cri.ExecOptions;
import io.capstan.node.cri.ExecSession;
import io.capstan.node.cri.PodConnection;
import io.capstan.node.cri.RuntimeFailure;
import io.capstan.node.shim.ConnectLaunch;
import io.capstan.node.shim.ExecLaunch;
import io.capstan.node.shim.Shim;
import io.capstan.node.shim.ShimStartException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * The native runtime's connections to running pods, all made by the shim so that no JVM thread
 * enters a namespace: streaming exec ({@code capstan-shim exec --stream [--tty]}), attach (the
 * container shim's stdin and resize FIFOs) and port forwarding ({@code capstan-shim connect} in the
 * sandbox's network namespace).
 */
final class ContainerStreams {
    private final Shim shim;
    private final PodCgroups cgroups;

    ContainerStreams(Shim shim, PodCgroups cgroups) {
        this.shim = shim;
        this.cgroups = cgroups;
    }

    /** An exec as the container's own process runs: its cgroups, privileges, environment and cwd. */
    ExecLaunch.Builder launch(ContainerEntry entry, List<String> command) {
        ContainerRecord r = entry.record();
        ExecLaunch.Builder launch = ExecLaunch.builder(entry.pid(), command).privileges(r.privileges()).cwd(r.cwd());
        cgroups.procsFiles(r.podUid(), r.id()).forEach(launch::cgroupProcs);
        for (String e : r.env()) {
            int eq = e.indexOf('=');
            launch.env(e.substring(0, eq), e.substring(eq + 1));
        }
        return launch;
    }

    static ContainerEntry running(ContainerEntry entry, String containerId) throws RuntimeFailure {
        if (entry == null) {
            throw new RuntimeFailure("ContainerNotFound", "container " + containerId + " does not exist");
        }
        if (!entry.running()) {
            throw new RuntimeFailure("ContainerNotRunning", "container " + containerId + " is not running");
        }
        return entry;
    }

    ExecSession execStream(ContainerEntry entry, String containerId, List<String> command, ExecOptions options)
            throws RuntimeFailure {
        running(entry, containerId);
        if (command.isEmpty()) {
            throw new RuntimeFailure("RunContainerError", "no command given to run in container " + containerId);
        }
        Path resize = options.tty() ? entry.dir().resolve("exec-" + UUID.randomUUID() + ".resize") : null;
        ExecLaunch launch = launch(entry, command).stream(options.tty(), resize).build();
        try {
            return shim.execStream(launch, options.stdin());
        } catch (ShimStartException e) {
            if (!entry.running()) {
                throw new RuntimeFailure("ContainerNotRunning", "container " + containerId + " is not running", e);
            }
            throw new RuntimeFailure("RunContainerError", e.getMessage(), e);
        } catch (IOException e) {
            throw new RuntimeFailure("RunContainerError", "cannot exec in container " + containerId + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure("RunContainerError", "interrupted while starting a command in container "
                    + containerId, e);
        }
    }

    ContainerInput attach(ContainerEntry entry, String containerId) throws RuntimeFailure {
        running(entry, containerId);
        if (!entry.shim().attachable()) {
            throw new RuntimeFailure("NoStdin", "container " + entry.record().name()
                    + " was started without stdin or tty; set stdin: true in the pod spec to attach");
        }
        try {
            return entry.shim().attach();
        } catch (IOException e) {
            throw new RuntimeFailure("ContainerNotRunning", "cannot attach to container " + containerId + ": "
                    + e.getMessage(), e);
        }
    }

    PodConnection portForward(SandboxEntry sandbox, String podUid, int port) throws RuntimeFailure {
        if (sandbox == null || !sandbox.ready()) {
            throw new RuntimeFailure("SandboxNotFound", "pod " + podUid + " has no running sandbox on this node");
        }
        if (port < 1 || port > 65535) {
            throw new RuntimeFailure("PortForwardError", "invalid port " + port + ": must be in 1-65535");
        }
        Path netns = Path.of(sandbox.status().netnsPath());
        try {
            return shim.connect(new ConnectLaunch(netns, port));
        } catch (ShimStartException e) {
            throw new RuntimeFailure("PortForwardError", "failed to connect to localhost:" + port
                    + " inside the network namespace of pod " + podUid + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new RuntimeFailure("PortForwardError", "cannot forward port " + port + " of pod " + podUid + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure("PortForwardError", "interrupted while connecting to port " + port, e);
        }
    }
}
