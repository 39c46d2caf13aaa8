package io.capstan.node.shim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A container (or sandbox holder) run by a {@code capstan-shim}, known only through the files of its
 * state directory, so that an agent restarted in between can pick it up again with
 * {@link #adopt(Path)}:
 *
 * <ul>
 *   <li>{@code pid}: the container's host pid, written by the shim once the command was exec'd;
 *   <li>{@code exit}: the {@link ExitStatus}, written atomically by the shim when the command ended;
 *   <li>{@code shim.pid}: the shim's own pid, written by the launcher;
 *   <li>{@code shim.out}: the shim's own stdout/stderr (setup errors);
 *   <li>{@code stdin}, {@code resize}: FIFOs of a container started with stdin or a tty.
 * </ul>
 *
 * The shim does not depend on the JVM: it keeps the container running, forwarding signals and
 * writing logs, while no agent runs. Signals go straight to the container's init.
 */
public final class ShimProcess {
    private static final String SHIM_PID = "shim.pid";
    private static final String SHIM_OUT = "shim.out";

    private final Path stateDir;
    private final CompletableFuture<ExitStatus> exit;

    private ShimProcess(Path stateDir, CompletableFuture<ExitStatus> exit) {
        this.stateDir = stateDir;
        this.exit = exit;
    }

    static Path pidFile(Path stateDir) {
        return stateDir.resolve("pid");
    }

    static Path exitFile(Path stateDir) {
        return stateDir.resolve("exit");
    }

    static Path stdinFifo(Path stateDir) {
        return stateDir.resolve("stdin");
    }

    static Path resizeFifo(Path stateDir) {
        return stateDir.resolve("resize");
    }

    /** Starts the shim with these arguments; files of an earlier run in the state dir are removed. */
    static ShimProcess start(Path binary, List<String> arguments, Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        for (String name : List.of("pid", "exit", SHIM_PID, SHIM_OUT, "stdin", "resize")) {
            Files.deleteIfExists(stateDir.resolve(name));
        }
        List<String> command = new java.util.ArrayList<>();
        command.add(binary.toString());
        command.addAll(arguments);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stateDir.resolve(SHIM_OUT).toFile()))
                .redirectErrorStream(true);
        pb.environment().clear();
        Process process = pb.start();
        writeAtomically(stateDir.resolve(SHIM_PID), process.pid() + "\n");
        ShimProcess shim = new ShimProcess(stateDir, new CompletableFuture<>());
        process.onExit().thenRun(() -> shim.exit.complete(shim.finalStatus(process.exitValue())));
        return shim;
    }

    /**
     * Picks up a shim started by an earlier agent process from its state directory. The result
     * completes {@link #onExit()} from the exit file once the shim is gone; if the shim died without
     * writing one, the status is {@link ExitStatus#lost}.
     */
    public static ShimProcess adopt(Path stateDir) throws IOException {
        ShimProcess shim = new ShimProcess(stateDir, new CompletableFuture<>());
        Optional<ExitStatus> recorded = shim.exitStatus();
        if (recorded.isPresent()) {
            shim.exit.complete(recorded.get());
            return shim;
        }
        Path shimPidFile = stateDir.resolve(SHIM_PID);
        long shimPid = readPid(shimPidFile).orElseThrow(() -> new NoSuchFileException(shimPidFile.toString()));
        Instant written = Files.getLastModifiedTime(shimPidFile).toInstant();
        Optional<ProcessHandle> handle = ProcessHandle.of(shimPid).filter(h -> isShim(h, written));
        if (handle.isPresent()) {
            handle.get().onExit().thenRun(() -> shim.exit.complete(shim.finalStatus(-1)));
        } else {
            shim.exit.complete(shim.finalStatus(-1));
        }
        return shim;
    }

    /**
     * Whether {@code h} is the shim recorded at {@code recorded}, not a process that reused its pid:
     * a capstan-shim executable (possibly "(deleted)" after an upgrade replaced the file) that
     * started before its pid was written down.
     */
    private static boolean isShim(ProcessHandle h, Instant recorded) {
        ProcessHandle.Info info = h.info();
        boolean named = info.command().map(c -> c.contains("/capstan-shim")).orElse(false);
        boolean before = info.startInstant().map(t -> !t.isAfter(recorded.plusSeconds(1))).orElse(true);
        return named && before;
    }

    /** The state directory this process lives in. */
    public Path stateDir() {
        return stateDir;
    }

    /**
     * Waits until the command was exec'd and returns the container's host pid; throws with the
     * shim's error line (exit 125) if setup failed or the command does not exist.
     */
    public long awaitStarted(Duration timeout)
            throws ShimStartException, TimeoutException, InterruptedException, IOException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            boolean ended = exit.isDone();
            OptionalLong pid = pid();
            if (pid.isPresent()) {
                return pid.getAsLong();
            }
            if (ended) {
                ExitStatus status = exit.join();
                String message = status.error() != null ? status.error() : lastLine(SHIM_OUT);
                throw new ShimStartException(status.exitCode(), message);
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("capstan-shim did not start its command within " + timeout);
            }
            // A start takes the shim about 3-15 ms: look every millisecond for the first 100 ms
            // (a doubling back-off found it up to 16 ms late), then every 10 ms.
            Thread.sleep(System.nanoTime() - start < 100_000_000L ? 1 : 10);
        }
    }

    /** The container's host pid once the command was exec'd. */
    public OptionalLong pid() throws IOException {
        return readPid(pidFile(stateDir));
    }

    /** When the command was exec'd (the pidfile's time), if it was. */
    public Optional<Instant> startedAt() throws IOException {
        Path file = pidFile(stateDir);
        return Files.exists(file) ? Optional.of(Files.getLastModifiedTime(file).toInstant()) : Optional.empty();
    }

    /** Whether the shim still runs (the container runs, or has just ended and is being recorded). */
    public boolean isRunning() {
        return !exit.isDone();
    }

    /** The recorded exit status, if the container has ended. */
    public Optional<ExitStatus> exitStatus() throws IOException {
        try {
            return Optional.of(ExitStatus.parse(Files.readString(exitFile(stateDir))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Completes with the exit status once the shim has ended. */
    public CompletableFuture<ExitStatus> onExit() {
        return exit.thenApply(s -> s);
    }

    /** Whether the container was started with a stdin or a terminal that {@link #attach} reaches. */
    public boolean attachable() {
        return Files.exists(stdinFifo(stateDir)) || Files.exists(resizeFifo(stateDir));
    }

    /**
     * Connects to the container's stdin FIFO (if it has one) and terminal size (if it has a tty).
     * Writes go to the container's stdin; closing the result drops this writer (with stdinOnce the
     * container then sees EOF once no writer is left).
     */
    public io.capstan.node.cri.ContainerInput attach() throws IOException {
        Path in = stdinFifo(stateDir);
        Path resize = resizeFifo(stateDir);
        return new FifoInput(Files.exists(in) ? in : null, Files.exists(resize) ? resize : null, exit);
    }

    /** Sends SIGTERM to the container's init; false if it does not run (any more). */
    public boolean terminate() throws IOException {
        return containerHandle().map(ProcessHandle::destroy).orElse(false);
    }

    /** Sends SIGKILL to the container's init, which ends its whole pid namespace. */
    public boolean kill() throws IOException {
        return containerHandle().map(ProcessHandle::destroyForcibly).orElse(false);
    }

    private Optional<ProcessHandle> containerHandle() throws IOException {
        if (!isRunning()) {
            return Optional.empty();
        }
        OptionalLong pid = pid();
        return pid.isPresent() ? ProcessHandle.of(pid.getAsLong()) : Optional.empty();
    }

    /** The status once the shim is gone: the exit file, else what the shim's own exit says. */
    private ExitStatus finalStatus(int shimExitCode) {
        try {
            Optional<ExitStatus> recorded = exitStatus();
            if (recorded.isPresent()) {
                return recorded.get();
            }
            if (shimExitCode >= 0) {
                return new ExitStatus(shimExitCode, 0, Instant.now(), lastLine(SHIM_OUT), false);
            }
        } catch (IOException | RuntimeException e) {
            // fall through: nothing usable was recorded
        }
        return ExitStatus.lost(Instant.now());
    }

    private String lastLine(String file) {
        try {
            List<String> lines = Files.readAllLines(stateDir.resolve(file), StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i);
                }
            }
        } catch (IOException e) {
            // no output recorded
        }
        return "capstan-shim ended without a message";
    }

    private static OptionalLong readPid(Path file) throws IOException {
        try {
            String text = Files.readString(file).trim();
            return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
