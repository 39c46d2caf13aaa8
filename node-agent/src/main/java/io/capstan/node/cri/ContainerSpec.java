package io.capstan.node.cri;

import java.util.List;

/**
 * What a container is made from, already resolved by the agent (env values looked up, security
 * context defaults applied). The runtime merges it with the image config as Kubernetes does:
 * {@code command} replaces the image entrypoint and then the image cmd is ignored; {@code args}
 * replaces the image cmd; env entries override image env entries of the same name; an empty
 * working dir means the image's.
 *
 * @param podUid the pod (and sandbox) the container belongs to
 * @param name the container's name in the pod spec
 * @param attempt the restart count: 0 for the first instance
 * @param image the image reference from the pod spec; the runtime resolves it in the local store
 * @param command the pod spec's command, empty for the image's entrypoint
 * @param args the pod spec's args, empty for the image's cmd
 * @param env resolved environment variables, in order
 * @param workingDir the pod spec's workingDir, or {@code null}
 * @param security user, group, capabilities and filesystem restrictions
 * @param resources the container-level cgroup limits
 * @param mounts volumes to bind into the container, in order
 * @param stdin whether the container keeps an open stdin (for attach)
 * @param tty whether the container gets a pseudo-terminal
 * @param stdinOnce whether the container's stdin ends when the first attached client detaches
 *     (spec.containers[].stdinOnce; only with {@code stdin})
 */
public record ContainerSpec(
        String podUid,
        String name,
        int attempt,
        String image,
        List<String> command,
        List<String> args,
        List<EnvVar> env,
        String workingDir,
        SecuritySpec security,
        ContainerResources resources,
        List<MountSpec> mounts,
        boolean stdin,
        boolean tty,
        boolean stdinOnce) {

    public ContainerSpec {
        command = List.copyOf(command);
        args = List.copyOf(args);
        env = List.copyOf(env);
        mounts = List.copyOf(mounts);
    }

    /** A container whose stdin, if any, stays open across attaches. */
    public ContainerSpec(String podUid, String name, int attempt, String image, List<String> command,
            List<String> args, List<EnvVar> env, String workingDir, SecuritySpec security,
            ContainerResources resources, List<MountSpec> mounts, boolean stdin, boolean tty) {
        this(podUid, name, attempt, image, command, args, env, workingDir, security, resources, mounts, stdin, tty,
                false);
    }

    /** One environment variable. */
    public record EnvVar(String name, String value) {}

    /** A host path bound into the container. */
    public record MountSpec(String hostPath, String containerPath, boolean readOnly) {}
}
