package io.capstan.node.network;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs programs in the node's host network namespace: directly when it is the agent's own, else
 * through {@code nsenter --net=PATH} (only the network namespace changes; paths stay the agent's).
 * Never enters a namespace on a JVM thread.
 */
final class HostExec {
    /** What a finished program did. */
    record Outcome(int exit, String stdout, String stderr, boolean timedOut) {
        boolean ok() {
            return exit == 0 && !timedOut;
        }
    }

    private final Path hostNetns;

    HostExec(Path hostNetns) {
        this.hostNetns = hostNetns;
    }

    /**
     * The PATH programs get: the agent's, plus the sbin directories where ip, iptables and
     * nsenter live (a service manager's PATH may lack them).
     */
    static final String PATH = withSbin(System.getenv("PATH"));

    /** The argv that runs {@code argv} in the host namespace, with the program as an absolute path. */
    List<String> wrap(List<String> argv) {
        List<String> out = new ArrayList<>();
        if (hostNetns != null) {
            out.addAll(List.of(resolve("nsenter"), "--net=" + hostNetns, "--"));
        }
        out.add(resolve(argv.get(0)));
        out.addAll(argv.subList(1, argv.size()));
        return out;
    }

    /** {@code program} looked up in {@link #PATH} (unchanged when absolute or not found). */
    static String resolve(String program) {
        if (program.contains("/")) {
            return program;
        }
        for (String dir : PATH.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return program;
    }

    private static String withSbin(String path) {
        StringBuilder b = new StringBuilder(path == null ? "" : path);
        for (String d : List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            if (!(":" + b + ":").contains(":" + d + ":")) {
                b.append(b.length() == 0 ? "" : ":").append(d);
            }
        }
        return b.toString();
    }

    /**
     * Runs {@code argv} with the agent's environment plus {@code env}, {@code stdin} as input;
     * kills it after {@code timeout}.
     */
    Outcome run(List<String> argv, Map<String, String> env, byte[] stdin, Duration timeout) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(wrap(argv));
        pb.environment().keySet().removeIf(k -> k.startsWith("CNI_"));
        pb.environment().put("PATH", PATH);
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        } catch (IOException ignored) {
            // the program exited without reading its input; its exit code tells why
        }
        boolean done;
        try {
            done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + argv.get(0), e);
        }
        return new Outcome(done ? p.exitValue() : -1, text(out), text(err), !done);
    }

    /** Runs a short command (ip, iptables) with a 30 s limit. */
    Outcome run(String... argv) throws IOException {
        return run(List.of(argv), Map.of(), null, Duration.ofSeconds(30));
    }

    private static CompletableFuture<byte[]> drain(InputStream s) {
        // A thread per stream: the common pool may have a single worker, and a program blocked on
        // a full stderr pipe would never close stdout.
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (s) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                s.transferTo(b);
                f.complete(b.toByteArray());
            } catch (IOException e) {
                f.complete(new byte[0]);
            }
        }, "capstan-cni-drain");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static String text(CompletableFuture<byte[]> f) {
        try {
            return new String(f.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        } catch (Exception e) {
            return "";
        }
    }
}
