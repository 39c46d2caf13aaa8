package io.capstan.node.cgroup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Busybox processes started by a test that join cgroups the way the shim does: by writing 0 to
 * each {@code cgroup.procs} file before exec'ing the workload. {@link #close} kills whatever of
 * them (and their descendants) is still alive.
 */
final class TestProcesses implements AutoCloseable {

    static final String BUSYBOX = "/bin/busybox";

    private final List<Process> started = new ArrayList<>();

    /** Starts {@code busybox sh -c '<join every file>; <script>'}. */
    Process start(List<Path> procsFiles, String script) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(BUSYBOX, "sh", "-c",
                "for f in \"$@\"; do echo 0 > \"$f\" || exit 99; done; " + script, "sh"));
        procsFiles.forEach(p -> cmd.add(p.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(p);
        return p;
    }

    /** Waits (30 s at most) until {@code condition} holds, failing with {@code what} otherwise. */
    static void await(String what, BooleanSupplier condition) {
        assertTrue(CgroupIo.await(condition, Duration.ofSeconds(30)), "timed out waiting for: " + what);
    }

    /** Waits for a process started here to exit and returns its exit value (128 + signal if killed). */
    static int exitValue(Process p) throws InterruptedException {
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "process " + p.pid() + " did not exit");
        return p.exitValue();
    }

    @Override
    public void close() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : started) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        started.clear();
    }
}
