package io.capstan.node.agent.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code ip} (and other sbin tools) in the agent's network namespace, 30 s at most. */
final class Ip {
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    record Outcome(int code, String output, List<String> argv) {}

    private Ip() {}

    static Outcome run(String... argv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(argv))).redirectErrorStream(true);
        pb.environment().put("PATH", PATH);
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + " timed out");
            }
            return new Outcome(p.exitValue(), out, List.of(argv));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", argv), e);
        }
    }
}
