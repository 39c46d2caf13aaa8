package io.capstan.node.agent.pod;

import io.capstan.node.agent.env.ConfigError;
import io.capstan.node.agent.env.EnvResolver;
import io.capstan.node.agent.env.Expansion;
import io.capstan.node.agent.net.PodNetworking;
import io.capstan.node.agent.status.Waiting;
import io.capstan.node.cgroup.Resources;
import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.ContainerSpec;
import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.cri.ImageService;
import io.capstan.node.cri.RuntimeFailure;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Starts one container of a pod, or finds why it cannot start yet, in kubelet's order: the image
 * (pull policy Never: ErrImageNeverPull; otherwise ErrImagePull then ImagePullBackOff, since images
 * only come from the local store for now), the restart back-off (CrashLoopBackOff), the
 * environment (CreateContainerConfigError), then the runtime (its failure reason, retried with the
 * same back-off). Returns how long to wait before the next try, or zero once started.
 */
final class ContainerStarter {
    private static final Logger LOG = Logger.getLogger(ContainerStarter.class);
    /** A container that ran this long has its restart back-off reset (kubelet: twice the maximum). */
    static final Duration STABLE_RUN = Duration.ofMinutes(10);
    /** How long a postStart exec hook may run (kubelet sets none; a hung hook must not hold a worker forever). */
    static final Duration POST_START_TIMEOUT = Duration.ofMinutes(2);

    private final ContainerRuntime runtime;
    private final ImageService images;
    private final EnvResolver env;
    private final Clock clock;
    private final WaitingReasons waiting;
    private final PodEvents events;
    private final PodNetworking network;
    final Backoff crashes;
    final Backoff pulls;
    final Backoff startFailures;

    ContainerStarter(ContainerRuntime runtime, ImageService images, EnvResolver env, Clock clock,
            WaitingReasons waiting, PodEvents events, PodNetworking network) {
        this.network = network;
        this.runtime = runtime;
        this.images = images;
        this.env = env;
        this.clock = clock;
        this.waiting = waiting;
        this.events = events;
        this.crashes = new Backoff(clock, Backoff.INITIAL, Backoff.MAX);
        this.pulls = new Backoff(clock, Backoff.INITIAL, Backoff.MAX);
        this.startFailures = new Backoff(clock, Backoff.INITIAL, Backoff.MAX);
    }

    /**
     * Records kubelet's Warning event for a sandbox the runtime could not make (the pod's
     * containers stay waiting in ContainerCreating, and the sync tries again on its resync).
     */
    void sandboxFailed(Pod pod, RuntimeFailure f) {
        events.warning(pod, null, "FailedCreatePodSandBox", "Failed to create pod sandbox: " + f.getMessage());
    }

    /**
     * Tries to start attempt {@code previous.attempt + 1} (or 0) of {@code c}.
     *
     * @return zero when started, else the time until the next try is worth making
     */
    Duration start(Pod pod, Container c, ContainerStatus previous, EnvResolver.PodContext ctx) {
        String uid = pod.getMetadata().getUid();
        String key = uid + "/" + c.getName();
        Duration wait = checkImage(pod, c);
        if (wait != null) {
            return wait;
        }
        wait = checkCrashBackoff(pod, c, previous);
        if (wait != null) {
            return wait;
        }
        if (startFailures.inBackoffSinceUpdate(key)) {
            return startFailures.remainingSinceUpdate(key);
        }
        ContainerSpec spec;
        try {
            spec = spec(pod, c, previous == null ? 0 : previous.attempt() + 1, ctx);
        } catch (ConfigError e) {
            waiting.set(uid, c.getName(), new Waiting("CreateContainerConfigError", e.getMessage()));
            events.warning(pod, c.getName(), "Failed", "Error: " + e.getMessage());
            return Duration.ofSeconds(10);
        } catch (java.io.IOException e) {
            waiting.set(uid, c.getName(), new Waiting("CreateContainerError", "resolv.conf: " + e.getMessage()));
            events.warning(pod, c.getName(), "Failed", "Error: resolv.conf: " + e.getMessage());
            return Duration.ofSeconds(10);
        }
        if (previous != null && previous.state() == ContainerStatus.ContainerState.EXITED) {
            crashes.next(key, previous.finishedAt() != null ? previous.finishedAt() : clock.instant());
        }
        events.normal(pod, c.getName(), "Pulled",
                "Container image \"" + c.getImage() + "\" already present on machine");
        try {
            ContainerStatus started = runtime.startContainer(spec);
            events.normal(pod, c.getName(), "Created", "Created container: " + c.getName());
            events.normal(pod, c.getName(), "Started", "Started container " + c.getName());
            String hookFailure = postStart(pod, c, started);
            if (hookFailure != null) {
                waiting.set(uid, c.getName(), new Waiting("PostStartHookError", hookFailure));
                return Duration.ZERO;
            }
            waiting.clear(uid, c.getName());
            startFailures.reset(key);
            LOG.debugf("started container=%s pod=%s/%s attempt=%d id=%s", c.getName(),
                    pod.getMetadata().getNamespace(), pod.getMetadata().getName(), spec.attempt(), started.id());
            return Duration.ZERO;
        } catch (RuntimeFailure f) {
            LOG.infof("container=%s pod=%s/%s failed to start: %s %s", c.getName(), pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), f.reason(), f.getMessage());
            waiting.set(uid, c.getName(), new Waiting(f.reason(), f.getMessage()));
            events.warning(pod, c.getName(), "Failed", "Error: " + f.getMessage());
            startFailures.next(key, clock.instant());
            return startFailures.remainingSinceUpdate(key);
        }
    }

    /**
     * Runs the container's postStart exec hook, if any, as kubelet does right after the start; when
     * it fails the container is stopped (and restarted per policy, with back-off) and the failure
     * message is returned.
     */
    private String postStart(Pod pod, Container c, ContainerStatus started) {
        if (c.getLifecycle() == null || c.getLifecycle().getPostStart() == null
                || c.getLifecycle().getPostStart().getExec() == null) {
            return null;
        }
        List<String> command = c.getLifecycle().getPostStart().getExec().getCommand() == null ? List.of()
                : c.getLifecycle().getPostStart().getExec().getCommand();
        String error;
        String output = "";
        try {
            var result = runtime.exec(started.id(), command, POST_START_TIMEOUT);
            if (result.exitCode() == 0) {
                return null;
            }
            output = result.output();
            error = result.timedOut() ? "command timed out" : "command exited with " + result.exitCode();
        } catch (RuntimeFailure f) {
            error = f.getMessage();
        }
        String podRef = pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "("
                + pod.getMetadata().getUid() + ")";
        String message = "Exec lifecycle hook (" + command + ") for Container \"" + c.getName() + "\" in Pod \""
                + podRef + "\" failed - error: " + error + ", message: \"" + output + "\"";
        events.warning(pod, c.getName(), "FailedPostStartHook", "PostStartHook failed");
        try {
            runtime.stopContainer(started.id(), PodTerminator.gracePeriod(pod));
        } catch (RuntimeFailure f) {
            LOG.warnf("stopping container=%s after its postStart hook failed: %s", c.getName(), f.getMessage());
        }
        return message;
    }

    /** Null when {@code previous} may be restarted now; else records CrashLoopBackOff and returns the wait. */
    private Duration checkCrashBackoff(Pod pod, Container c, ContainerStatus previous) {
        if (previous == null || previous.state() != ContainerStatus.ContainerState.EXITED) {
            return null;
        }
        String uid = pod.getMetadata().getUid();
        String key = uid + "/" + c.getName();
        Instant finished = previous.finishedAt() != null ? previous.finishedAt() : clock.instant();
        if (previous.startedAt() != null
                && Duration.between(previous.startedAt(), finished).compareTo(STABLE_RUN) >= 0) {
            crashes.reset(key);
        }
        if (!crashes.inBackoffSince(key, finished)) {
            return null;
        }
        String podRef = pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + uid + ")";
        waiting.set(uid, c.getName(), new Waiting("CrashLoopBackOff", "back-off "
                + Backoff.goDuration(crashes.delay(key)) + " restarting failed container=" + c.getName()
                + " pod=" + podRef));
        events.warning(pod, c.getName(), "BackOff", "Back-off restarting failed container " + c.getName()
                + " in pod " + podRef);
        return crashes.remaining(key, finished);
    }

    /** Null when the image is present; else records why not and returns when to look again. */
    private Duration checkImage(Pod pod, Container c) {
        String image = c.getImage();
        if (images.imageStatus(image).isPresent()) {
            return null;
        }
        String uid = pod.getMetadata().getUid();
        String policy = pullPolicy(c);
        if (policy.equals("Never")) {
            String message = "Container image \"" + image + "\" is not present with pull policy of Never";
            waiting.set(uid, c.getName(), new Waiting("ErrImageNeverPull", message));
            events.warning(pod, c.getName(), "ErrImageNeverPull", message);
            events.warning(pod, c.getName(), "Failed", "Error: ErrImageNeverPull");
            return Duration.ofSeconds(10);
        }
        String key = uid + "/pull/" + image;
        if (pulls.inBackoffSinceUpdate(key)) {
            waiting.set(uid, c.getName(), new Waiting("ImagePullBackOff", "Back-off pulling image \"" + image + "\""));
            events.normal(pod, c.getName(), "BackOff", "Back-off pulling image \"" + image + "\"");
            events.warning(pod, c.getName(), "Failed", "Error: ImagePullBackOff");
            return pulls.remainingSinceUpdate(key);
        }
        pulls.next(key, clock.instant());
        String message = "failed to pull image \"" + image
                + "\": the image is not in the node's local store and registry pulls are not supported yet";
        waiting.set(uid, c.getName(), new Waiting("ErrImagePull", message));
        events.warning(pod, c.getName(), "Failed", "Failed to pull image \"" + image + "\": " + message);
        events.warning(pod, c.getName(), "Failed", "Error: ErrImagePull");
        return pulls.remainingSinceUpdate(key);
    }

    /** The container's pull policy, defaulted as the API server does (Always for :latest or no tag). */
    static String pullPolicy(Container c) {
        if (c.getImagePullPolicy() != null && !c.getImagePullPolicy().isEmpty()) {
            return c.getImagePullPolicy();
        }
        String image = c.getImage() == null ? "" : c.getImage();
        if (image.contains("@")) {
            return "IfNotPresent";
        }
        String last = image.substring(image.lastIndexOf('/') + 1);
        return !last.contains(":") || last.endsWith(":latest") ? "Always" : "IfNotPresent";
    }

    private ContainerSpec spec(Pod pod, Container c, int attempt, EnvResolver.PodContext ctx)
            throws ConfigError, java.io.IOException {
        // the container's own variables, then the service variables it does not define (enableServiceLinks)
        List<ContainerSpec.EnvVar> vars = network.withServiceEnv(pod, env.resolve(pod, c, ctx));
        List<ContainerSpec.MountSpec> mounts = network.mounts(pod, (reason, message) ->
                events.warning(pod, null, reason, message));
        Map<String, String> map = new LinkedHashMap<>();
        vars.forEach(v -> map.put(v.name(), v.value()));
        List<String> command = c.getCommand() == null ? List.of()
                : c.getCommand().stream().map(s -> Expansion.expand(s, map)).toList();
        List<String> args = c.getArgs() == null ? List.of()
                : c.getArgs().stream().map(s -> Expansion.expand(s, map)).toList();
        return new ContainerSpec(pod.getMetadata().getUid(), c.getName(), attempt, c.getImage(), command, args, vars,
                c.getWorkingDir(), SecurityContexts.merge(pod, c), Resources.forContainer(c), mounts,
                Boolean.TRUE.equals(c.getStdin()), Boolean.TRUE.equals(c.getTty()), Boolean.TRUE.equals(c.getStdinOnce()));
    }

    void forget(String uid) {
        events.forget(uid);
        crashes.forgetPrefix(uid + "/");
        pulls.forgetPrefix(uid + "/");
        startFailures.forgetPrefix(uid + "/");
    }
}
