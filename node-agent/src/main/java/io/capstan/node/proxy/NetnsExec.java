package io.capstan.node.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host tool ({@code nft}, {@code ip}) in the configured network namespace, through
 * {@code nsenter --net=} when one is given; never on a JVM thread's own namespace switch.
 */
final class NetnsExec {
    private static final long TIMEOUT_SECONDS = 30;

    private final Path netns;
    private final Path nsenter;

    NetnsExec(ProxyConfig config) {
        this.netns = config.netns();
        this.nsenter = config.nsenter();
    }

    /**
     * Runs {@code command} with {@code stdin} (may be null) and returns its output (standard output
     * and error together); throws {@link NftException} carrying that output when it exits non-zero.
     */
    String run(String stdin, String... command) {
        List<String> full = new ArrayList<>();
        if (netns != null) {
            full.add(nsenter.toString());
            full.add("--net=" + netns);
        }
        full.addAll(List.of(command));
        Process process;
        try {
            // The tools' errors are short; one stream read on this thread cannot fill a second pipe.
            process = new ProcessBuilder(full).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new NftException("cannot run " + full + ": " + e.getMessage(), e);
        }
        try {
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new NftException(command[0] + " did not finish in " + TIMEOUT_SECONDS + " s", null);
            }
            if (process.exitValue() != 0) {
                throw new NftException(command[0] + " failed (exit " + process.exitValue() + "): " + out.strip(), null);
            }
            return out;
        } catch (IOException e) {
            throw new NftException(command[0] + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NftException("interrupted while running " + command[0], e);
        } finally {
            process.destroyForcibly();
        }
    }
}
