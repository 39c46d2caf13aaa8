package io.capstan.node.testing;

import io.capstan.node.cri.ContainerInput;
import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.ContainerSpec;
import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.cri.ContainerStatus.ContainerState;
import io.capstan.node.cri.ExecOptions;
import io.capstan.node.cri.ExecResult;
import io.capstan.node.cri.ExecSession;
import io.capstan.node.cri.PodConnection;
import io.capstan.node.cri.RuntimeFailure;
import io.capstan.node.cri.SandboxSpec;
import io.capstan.node.cri.SandboxStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ContainerRuntime} that runs nothing but keeps the same books as a real one. Containers
 * "run" until told to exit ({@link #exit}, {@link #oomKill}) or stopped; commands are interpreted
 * as a shell would run them for the cases tests need: {@code sh -c "exit N"}, {@code true},
 * {@code false} exit at once with their code, anything else runs until stopped. A stopped container
 * exits on SIGTERM (143) unless {@link #ignoreSigterm(String) told to ignore it}: then the stop waits
 * on the clock until the grace period has passed and SIGKILLs it (137), so a test advancing a
 * {@code MutableClock} releases it without sleeping. Failures: {@link #failRun} (RunContainerError
 * for an executable), {@link #startLatency}. Exit listeners are called once per exit on a runtime
 * thread. Every call is recorded in {@link #events()} ("start c 0", "exec c echo hi", "stop c 30s",
 * "remove c", "sandbox uid", "remove-sandbox uid", "exec-stream c cat", "attach c",
 * "port-forward uid 80"). Streaming execs, attach and port forwards behave as {@link FakeStreams}
 * describes; what attachers wrote is {@link #attachedInput}.
 */
public final class FakeContainerRuntime implements ContainerRuntime {
    private final Clock clock;
    private final Map<String, SandboxStatus> sandboxes = new LinkedHashMap<>();
    private final Map<String, Fake> containers = new LinkedHashMap<>();
    private final List<ExitListener> listeners = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<ContainerSpec> started = new CopyOnWriteArrayList<>();
    private final Map<String, String> failRun = new ConcurrentHashMap<>();
    private final Set<String> ignoreSigterm = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> exitOnStart = new ConcurrentHashMap<>();
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-runtime-exits");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong ids = new AtomicLong();
    private volatile Duration startLatency = Duration.ZERO;

    private static final class Fake {
        ContainerStatus status;
        final ContainerSpec spec;
        final List<String> argv;
        final ByteArrayOutputStream attached = new ByteArrayOutputStream();
        final List<String> resizes = new CopyOnWriteArrayList<>();

        Fake(ContainerStatus status, ContainerSpec spec, List<String> argv) {
            this.status = status;
            this.spec = spec;
            this.argv = List.copyOf(argv);
        }
    }

    public FakeContainerRuntime(Clock clock) {
        this.clock = clock;
    }

    // ---- configuration -------------------------------------------------------------------------

    /** Starting a container whose executable is {@code executable} fails with RunContainerError. */
    public void failRun(String executable, String message) {
        failRun.put(executable, message);
    }

    /** Containers named {@code name} exit with {@code code} right after they start. */
    public void exitOnStart(String name, int code) {
        exitOnStart.put(name, code);
    }

    /** Containers named {@code name} no longer exit on start. */
    public void clearExitOnStart(String name) {
        exitOnStart.remove(name);
    }

    /** Containers named {@code name} ignore SIGTERM: a stop lasts the whole grace period. */
    public void ignoreSigterm(String name) {
        ignoreSigterm.add(name);
    }

    /** Every start takes this long (real time). */
    public void startLatency(Duration d) {
        startLatency = d;
    }

    // ---- driving containers ----------------------------------------------------------------------

    /** Makes the running container {@code name} of pod {@code podUid} exit with {@code code}. */
    public void exit(String podUid, String name, int code) {
        latest(podUid, name).ifPresent(c -> finish(c.id(), code, code == 0 ? "Completed" : "Error"));
    }

    /** Makes the running container {@code name} of pod {@code podUid} be killed by the OOM killer. */
    public void oomKill(String podUid, String name) {
        latest(podUid, name).ifPresent(c -> finish(c.id(), 137, "OOMKilled"));
    }

    // ---- inspection ------------------------------------------------------------------------------

    public List<String> events() {
        return List.copyOf(events);
    }

    /** The specs of every container started, in order. */
    public List<ContainerSpec> started() {
        return List.copyOf(started);
    }

    /** The newest container {@code name} of pod {@code podUid}. */
    public synchronized Optional<ContainerStatus> latest(String podUid, String name) {
        return containers.values().stream().map(f -> f.status)
                .filter(s -> s.podUid().equals(podUid) && s.name().equals(name))
                .reduce((a, b) -> b.attempt() >= a.attempt() ? b : a);
    }

    /** How many containers were ever started for {@code name} of {@code podUid}. */
    public long starts(String podUid, String name) {
        return started.stream().filter(s -> s.podUid().equals(podUid) && s.name().equals(name)).count();
    }

    // ---- ContainerRuntime ------------------------------------------------------------------------

    @Override
    public synchronized SandboxStatus runSandbox(SandboxSpec spec) {
        return sandboxes.computeIfAbsent(spec.podUid(), uid -> {
            events.add("sandbox " + uid);
            return new SandboxStatus(uid, spec.namespace(), spec.name(), true, clock.instant(),
                    "/proc/fake/ns/net/" + uid);
        });
    }

    @Override
    public synchronized void removeSandbox(String podUid) throws RuntimeFailure {
        if (!sandboxes.containsKey(podUid)) {
            return;
        }
        if (containers.values().stream().anyMatch(f -> f.status.podUid().equals(podUid))) {
            throw new RuntimeFailure("KillPodSandboxError", "sandbox " + podUid + " still has containers");
        }
        sandboxes.remove(podUid);
        events.add("remove-sandbox " + podUid);
    }

    @Override
    public synchronized List<SandboxStatus> listSandboxes() {
        return List.copyOf(sandboxes.values());
    }

    @Override
    public ContainerStatus startContainer(ContainerSpec spec) throws RuntimeFailure {
        if (!startLatency.isZero()) {
            try {
                Thread.sleep(startLatency.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeFailure("CreateContainerError", "interrupted");
            }
        }
        List<String> argv = new ArrayList<>(spec.command().isEmpty() ? spec.args() : spec.command());
        if (!spec.command().isEmpty()) {
            argv.addAll(spec.args());
        }
        String executable = argv.isEmpty() ? "" : argv.get(0);
        ContainerStatus status;
        synchronized (this) {
            if (!sandboxes.containsKey(spec.podUid())) {
                throw new RuntimeFailure("CreateContainerError", "no sandbox for pod " + spec.podUid());
            }
            if (failRun.containsKey(executable)) {
                events.add("fail " + spec.name() + " " + spec.attempt());
                throw new RuntimeFailure("RunContainerError", failRun.get(executable));
            }
            String id = HexFormat.of().formatHex(sha256("fake-" + ids.incrementAndGet() + "-" + spec.podUid()))
                    .substring(0, 64);
            status = new ContainerStatus(id, spec.podUid(), spec.name(), spec.attempt(), spec.image(),
                    "sha256:" + HexFormat.of().formatHex(sha256(spec.image())), ContainerState.RUNNING,
                    100_000 + ids.get(), clock.instant(), null, null, null, null,
                    Path.of("/nonexistent/logs", spec.podUid(), spec.name(), spec.attempt() + ".log"));
            containers.put(id, new Fake(status, spec, argv));
            started.add(spec);
            events.add("start " + spec.name() + " " + spec.attempt());
        }
        Integer code = exitOnStart.get(spec.name());
        if (code == null) {
            code = immediateExit(argv);
        }
        if (code != null) {
            int c = code;
            String id = status.id();
            notify(() -> finish(id, c, c == 0 ? "Completed" : "Error"));
        }
        return status;
    }

    /** The exit code of a command that ends at once, or null for one that runs. */
    private static Integer immediateExit(List<String> argv) {
        if (argv.size() == 1 && argv.get(0).equals("true")) {
            return 0;
        }
        if (argv.size() == 1 && argv.get(0).equals("false")) {
            return 1;
        }
        if (argv.size() == 3 && argv.get(0).endsWith("sh") && argv.get(1).equals("-c")
                && argv.get(2).matches("exit \\d+")) {
            return Integer.parseInt(argv.get(2).substring(5));
        }
        return null;
    }

    @Override
    public ContainerStatus stopContainer(String containerId, Duration gracePeriod) {
        ContainerStatus s;
        synchronized (this) {
            Fake f = containers.get(containerId);
            if (f == null) {
                return null;
            }
            s = f.status;
            events.add("stop " + s.name() + " " + gracePeriod.toSeconds() + "s");
            if (s.state() == ContainerState.EXITED) {
                return s;
            }
        }
        if (!ignoreSigterm.contains(s.name())) {
            finish(containerId, 143, "Error");
        } else {
            Instant deadline = clock.instant().plus(gracePeriod);
            while (clock.instant().isBefore(deadline) && running(containerId)) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            finish(containerId, 137, "Error");
        }
        return containerStatus(containerId).orElse(null);
    }

    private synchronized boolean running(String id) {
        Fake f = containers.get(id);
        return f != null && f.status.state() != ContainerState.EXITED;
    }

    /** Marks a running container exited and tells the listeners, once. */
    private void finish(String id, int code, String reason) {
        ContainerStatus exited;
        synchronized (this) {
            Fake f = containers.get(id);
            if (f == null || f.status.state() == ContainerState.EXITED) {
                return;
            }
            ContainerStatus s = f.status;
            exited = new ContainerStatus(s.id(), s.podUid(), s.name(), s.attempt(), s.image(), s.imageId(),
                    ContainerState.EXITED, 0, s.startedAt(), clock.instant(), code, reason, null, s.logPath());
            f.status = exited;
            events.add("exited " + s.name() + " " + code);
        }
        notify(() -> listeners.forEach(l -> l.exited(exited)));
    }

    /** Runs {@code r} on the runtime thread; after {@link #close()} exits are still recorded, not reported. */
    private void notify(Runnable r) {
        try {
            notifier.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    @Override
    public synchronized void removeContainer(String containerId) throws RuntimeFailure {
        Fake f = containers.get(containerId);
        if (f == null) {
            return;
        }
        if (f.status.state() != ContainerState.EXITED) {
            throw new RuntimeFailure("RemoveContainerError", "container " + containerId + " is running");
        }
        containers.remove(containerId);
        events.add("remove " + f.status.name());
    }

    @Override
    public synchronized List<ContainerStatus> listContainers() {
        return containers.values().stream().map(f -> f.status).toList();
    }

    @Override
    public synchronized Optional<ContainerStatus> containerStatus(String containerId) {
        return Optional.ofNullable(containers.get(containerId)).map(f -> f.status);
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, Duration timeout) throws RuntimeFailure {
        ContainerStatus s = containerStatus(containerId)
                .orElseThrow(() -> new RuntimeFailure("ContainerNotFound", "no container " + containerId));
        if (s.state() != ContainerState.RUNNING) {
            throw new RuntimeFailure("ContainerNotRunning", "container " + containerId + " is not running");
        }
        events.add("exec " + s.name() + " " + String.join(" ", command));
        if (!command.isEmpty() && command.get(0).equals("echo")) {
            return new ExecResult(0, String.join(" ", command.subList(1, command.size())) + "\n", false);
        }
        Integer code = immediateExit(command);
        return new ExecResult(code == null ? 0 : code, "", false);
    }

    @Override
    public ExecSession execStream(String containerId, List<String> command, ExecOptions options)
            throws RuntimeFailure {
        ContainerStatus s = runningContainer(containerId);
        if (command.isEmpty()) {
            throw new RuntimeFailure("RunContainerError", "no command");
        }
        if (failRun.containsKey(command.get(0))) {
            throw new RuntimeFailure("RunContainerError", failRun.get(command.get(0)));
        }
        events.add("exec-stream " + s.name() + " " + String.join(" ", command));
        return FakeStreams.exec(command, options.stdin(), options.tty());
    }

    @Override
    public synchronized ContainerInput attach(String containerId) throws RuntimeFailure {
        ContainerStatus s = runningContainer(containerId);
        Fake f = containers.get(containerId);
        if (!f.spec.stdin() && !f.spec.tty()) {
            throw new RuntimeFailure("NoStdin", "container " + s.name() + " was started without stdin or tty");
        }
        events.add("attach " + s.name());
        return FakeStreams.input(f.spec.stdin(), f.attached, f.resizes);
    }

    /** What attachers wrote to a container's stdin so far. */
    public synchronized String attachedInput(String containerId) {
        Fake f = containers.get(containerId);
        if (f == null) {
            return "";
        }
        synchronized (f.attached) {
            return f.attached.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public synchronized PodConnection portForward(String podUid, int port) throws RuntimeFailure {
        if (!sandboxes.containsKey(podUid)) {
            throw new RuntimeFailure("SandboxNotFound", "pod " + podUid + " has no sandbox");
        }
        events.add("port-forward " + podUid + " " + port);
        boolean open = containers.values().stream().anyMatch(f -> f.status.podUid().equals(podUid)
                && f.status.state() == ContainerState.RUNNING && FakeStreams.listens(f.argv, port));
        if (!open) {
            throw new RuntimeFailure("PortForwardError", "failed to connect to localhost:" + port
                    + " inside the network namespace of pod " + podUid + ": connect: Connection refused");
        }
        return FakeStreams.echo();
    }

    private ContainerStatus runningContainer(String containerId) throws RuntimeFailure {
        ContainerStatus s = containerStatus(containerId)
                .orElseThrow(() -> new RuntimeFailure("ContainerNotFound", "no container " + containerId));
        if (s.state() != ContainerState.RUNNING) {
            throw new RuntimeFailure("ContainerNotRunning", "container " + containerId + " is not running");
        }
        return s;
    }

    @Override
    public void addExitListener(ExitListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeExitListener(ExitListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void close() {
        notifier.shutdownNow();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
