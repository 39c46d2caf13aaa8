package io.capstan.node.shim;

import io.capstan.node.cri.ExecResult;
import io.capstan.node.cri.ExecSession;
import io.capstan.node.cri.PodConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The installed {@code capstan-shim} binary and the way to start it. {@link #install(Path)} extracts
 * the binary built into this jar to {@code <data-dir>/bin/capstan-shim} (mode 0755, replaced
 * atomically when its checksum differs; running shims keep their old copy). Containers and sandbox
 * holders are started detached ({@link #start(ContainerLaunch)}, {@link #start(SandboxLaunch)});
 * {@link #exec} runs a command in a container and waits for it; {@link #execStream} runs one
 * connected to the caller ({@code kubectl exec}); {@link #connect} opens a TCP connection inside a
 * pod's network namespace ({@code kubectl port-forward}).
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class Shim {
    /** Output kept from an exec, as the CRI's ExecSync. */
    static final int EXEC_OUTPUT_LIMIT = 64 * 1024;

    private static final String RESOURCE = "capstan-shim";

    private final Path binary;

    private Shim(Path binary) {
        this.binary = binary;
    }

    /**
     * Extracts the shim into {@code dataDir/bin} unless an identical copy is there.
     *
     * @throws IOException if the jar has no shim (node-agent built without Maven's C step) or
     *     {@code dataDir} is on a noexec mount
     */
    public static Shim install(Path dataDir) throws IOException {
        byte[] content;
        try (InputStream in = Shim.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the capstan-shim binary is missing from the node-agent jar;"
                        + " build node-agent with Maven (it needs musl-gcc: apt-get install musl-tools)");
            }
            content = in.readAllBytes();
        }
        Path dir = Files.createDirectories(dataDir.resolve("bin"));
        MountTable.requireExec(dir);
        Path target = dir.resolve(RESOURCE);
        if (Files.isRegularFile(target) && Files.isExecutable(target)
                && Arrays.equals(sha256(Files.readAllBytes(target)), sha256(content))) {
            return new Shim(target);
        }
        Path tmp = Files.createTempFile(dir, ".capstan-shim", ".tmp");
        try {
            Files.write(tmp, content);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new Shim(target);
    }

    /** The extracted binary. */
    public Path binary() {
        return binary;
    }

    /** Starts a container; wait for its exec with {@link ShimProcess#awaitStarted}. */
    public ShimProcess start(ContainerLaunch launch) throws IOException {
        return ShimProcess.start(binary, launch.arguments(), launch.stateDir());
    }

    /** Starts a pod's namespace holder; its pid is {@link ShimProcess#awaitStarted}'s result. */
    public ShimProcess start(SandboxLaunch launch) throws IOException {
        return ShimProcess.start(binary, launch.arguments(), launch.stateDir());
    }

    /**
     * Runs a command in a running container and waits at most {@code timeout}. stdout and stderr are
     * captured together (the first 64 KiB). A command past its timeout is killed: exit code -1,
     * {@code timedOut} true. A command that cannot be exec'd gives 125 and the shim's error line.
     */
    public ExecResult exec(ExecLaunch launch, Duration timeout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(launch.arguments());
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true);
        pb.environment().clear();
        Process process = pb.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copyBounded(process.getInputStream(), output), "capstan-exec-output");
        reader.setDaemon(true);
        reader.start();
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            // SIGKILL to the shim; its child has SIGKILL as parent-death signal.
            process.destroyForcibly();
            process.waitFor();
        }
        // Processes the command left behind may hold the pipe open: don't wait for them forever.
        reader.join(TimeUnit.SECONDS.toMillis(2));
        String text;
        synchronized (output) {
            text = output.toString(StandardCharsets.UTF_8);
        }
        return finished ? new ExecResult(process.exitValue(), text, false) : new ExecResult(-1, text, true);
    }

    /**
     * Starts a command in a running container with its stdio connected to the returned session;
     * returns once the command was exec'd (the shim's status byte), so a command that does not
     * exist or a container that is gone fails here with the shim's error line.
     *
     * @param launch an exec built with {@link ExecLaunch.Builder#stream}
     * @param stdin whether the caller writes to the command's stdin (else it reads /dev/null)
     */
    public ExecSession execStream(ExecLaunch launch, boolean stdin)
            throws IOException, ShimStartException, InterruptedException {
        Process process = spawn(launch.arguments(), stdin);
        awaitStatus(process, 'S');
        return new ShimExecSession(process, stdin, launch.resizeFifo());
    }

    /**
     * Opens a TCP connection inside a pod's network namespace; returns once it is connected.
     *
     * @throws ShimStartException with the shim's line, e.g. {@code connect: Connection refused}
     */
    public PodConnection connect(ConnectLaunch launch) throws IOException, ShimStartException, InterruptedException {
        Process process = spawn(launch.arguments(), true);
        awaitStatus(process, 'C');
        return new ShimConnection(process);
    }

    private Process spawn(List<String> arguments, boolean stdin) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(arguments);
        ProcessBuilder pb = new ProcessBuilder(command);
        if (!stdin) {
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        pb.environment().clear();
        return pb.start();
    }

    /** Reads the shim's status byte; without it the shim failed: its last stderr line and code. */
    private static void awaitStatus(Process process, int expected)
            throws IOException, ShimStartException, InterruptedException {
        int b;
        try {
            b = process.getInputStream().read();
        } catch (IOException e) {
            b = -1;
        }
        if (b == expected) {
            return;
        }
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        process.getOutputStream().close();
        int code = process.waitFor();
        String line = err.isEmpty() ? "capstan-shim ended without a message (exit " + code + ")"
                : err.substring(err.lastIndexOf('\n') + 1);
        throw new ShimStartException(code, line);
    }

    private static void copyBounded(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (out) {
                    int room = EXEC_OUTPUT_LIMIT - out.size();
                    if (room > 0) {
                        out.write(buf, 0, Math.min(room, n));
                    }
                }
            }
        } catch (IOException e) {
            // the process ended or was killed; keep what was read
        }
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
