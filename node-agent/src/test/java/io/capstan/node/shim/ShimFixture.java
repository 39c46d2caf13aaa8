package io.capstan.node.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the shim's privileged tests share: an installed shim in a temp data dir, a busybox root
 * filesystem, and a record of every shim started so that {@link #close()} can kill what is left.
 */
final class ShimFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern CRI_LINE =
            Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z (stdout|stderr) ([FP]) (.*)$");

    final Path dir;
    final Shim shim;
    final Path rootfs;
    private final List<ShimProcess> started = new ArrayList<>();
    private int states;

    ShimFixture(Path dir) throws IOException, InterruptedException {
        assumeTrue("root".equals(System.getProperty("user.name")), "the shim's tests need root");
        this.dir = dir;
        this.shim = Shim.install(dir.resolve("data"));
        this.rootfs = busyboxRootfs(dir.resolve("rootfs"));
    }

    /** /bin/busybox plus its applets (hard links) and the empty directories a container needs. */
    static Path busyboxRootfs(Path root) throws IOException, InterruptedException {
        for (String d : List.of("bin", "proc", "sys", "dev", "tmp", "etc")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        Process list = new ProcessBuilder("/bin/busybox", "--list-full").redirectErrorStream(true).start();
        String applets = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, list.waitFor());
        for (String applet : applets.split("\n")) {
            if (applet.isBlank()) {
                continue;
            }
            Path link = root.resolve(applet.trim().replaceFirst("^/", ""));
            Files.createDirectories(link.getParent());
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createLink(link, root.resolve("bin/busybox")); // hard: no links out of the temp dir
            }
        }
        return root;
    }

    /** A fresh state directory. */
    Path state() {
        return dir.resolve("state-" + (++states));
    }

    ContainerLaunch.Builder container(String... command) {
        return ContainerLaunch.builder(rootfs, state(), List.of(command));
    }

    ShimProcess start(ContainerLaunch launch) throws IOException {
        ShimProcess p = shim.start(launch);
        started.add(p);
        return p;
    }

    ShimProcess start(SandboxLaunch launch) throws IOException {
        ShimProcess p = shim.start(launch);
        started.add(p);
        return p;
    }

    /** Has {@link #close()} kill this process too (one the fixture did not start itself). */
    ShimProcess track(ShimProcess p) {
        started.add(p);
        return p;
    }

    /** Waits up to {@link #WAIT} for a condition, checking every 50 ms. */
    static void await(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Runs a container to its end; returns its exit status. */
    ExitStatus run(ContainerLaunch launch) throws Exception {
        return start(launch).onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Runs a container without a log file; returns what it wrote (it goes to the shim's output). */
    String output(ContainerLaunch.Builder builder) throws Exception {
        ContainerLaunch launch = builder.build();
        ExitStatus status = run(launch);
        String out = Files.readString(launch.stateDir().resolve("shim.out"));
        assertEquals(0, status.exitCode(), () -> "container failed: " + out);
        return out;
    }

    /** The contents of a CRI log: one "stream tag content" string per line, checking the format. */
    static List<String> criLines(Path log) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = CRI_LINE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a CRI log line: " + line);
            }
            lines.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
        }
        return lines;
    }

    /** Kills every container and holder a test left running and waits for their shims. */
    @Override
    public void close() throws Exception {
        for (ShimProcess p : started) {
            if (p.isRunning()) {
                try {
                    p.awaitStarted(WAIT);
                } catch (ShimStartException e) {
                    continue;
                }
                p.kill();
                p.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }
}
