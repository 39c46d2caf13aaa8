package io.capstan.node.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace {@code capstan-test-<rand>} that plays the node's host namespace, plus the
 * processes a test starts in pod namespaces. {@link #close()} kills those processes and deletes
 * the namespace (with everything in it: bridge, veths, routes, rules).
 */
final class NetnsFixture implements AutoCloseable {
    final String name = "capstan-test-" + UUID.randomUUID().toString().substring(0, 8);
    final Path path = Path.of("/run/netns", name);
    private final List<Process> started = new ArrayList<>();

    NetnsFixture() throws Exception {
        sh("ip", "netns", "add", name);
        sh("ip", "-n", name, "link", "set", "lo", "up");
    }

    /** Runs a command to completion; returns rc and output (stdout + stderr). */
    static Run run(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), out);
    }

    record Run(int rc, String out) {}

    static String sh(String... argv) throws Exception {
        Run r = run(List.of(argv));
        if (r.rc() != 0) {
            throw new IOException(String.join(" ", argv) + " failed (" + r.rc() + "): " + r.out());
        }
        return r.out();
    }

    /** A command in the host namespace. */
    Run inHost(String... argv) throws Exception {
        return in(path, argv);
    }

    /** A command in a namespace given by path. */
    static Run in(Path netns, String... argv) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + netns, "--"));
        cmd.addAll(List.of(argv));
        return run(cmd);
    }

    /** A long-running command in a namespace (killed by close). */
    Process background(Path netns, String... argv) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + netns, "--"));
        cmd.addAll(List.of(argv));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(p);
        return p;
    }

    /** A busybox nc server answering {@code reply} on {@code port} in the pod namespace, for every connection. */
    void server(Path podNetns, int port, String reply) throws IOException {
        background(podNetns, "busybox", "nc", "-ll", "-p", String.valueOf(port), "-e", "echo", reply);
    }

    /** Connects from {@code from} to addr:port until it answers (or 30 s pass); returns the answer. */
    static String fetch(Path from, String addr, int port) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Run r;
        do {
            r = in(from, "busybox", "nc", "-w", "2", addr, String.valueOf(port));
            if (r.rc() == 0 && !r.out().isBlank()) {
                return r.out().strip();
            }
            Thread.sleep(100);
        } while (System.nanoTime() < until);
        return "failed: " + r.out();
    }

    @Override
    public void close() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        run(List.of("ip", "netns", "del", name));
    }
}
