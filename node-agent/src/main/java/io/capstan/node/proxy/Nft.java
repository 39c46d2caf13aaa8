package io.capstan.node.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code nft} in the configured network namespace (through {@code nsenter --net=} when one is
 * given). Scripts go to {@code nft -f -} on standard input, so a script is one transaction.
 */
final class Nft {
    private static final long TIMEOUT_SECONDS = 30;

    private final ProxyConfig config;

    Nft(ProxyConfig config) {
        this.config = config;
    }

    /** Applies {@code script} atomically; throws {@link NftException} with nft's message if it fails. */
    void apply(String script) {
        run(script, "-f", "-");
    }

    /** {@code nft list table ip capstan}, or "" when the table does not exist. */
    String listTable() {
        try {
            return run(null, "list", "table", "ip", ProxyConfig.TABLE);
        } catch (NftException e) {
            if (e.getMessage().contains("No such file or directory")) {
                return "";
            }
            throw e;
        }
    }

    /** Deletes {@code table ip capstan} if it exists; nothing else is touched. */
    void deleteTable() {
        apply("add table ip " + ProxyConfig.TABLE + "\ndelete table ip " + ProxyConfig.TABLE + "\n");
    }

    private String run(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        Path netns = config.netns();
        if (netns != null) {
            command.add(config.nsenter().toString());
            command.add("--net=" + netns);
        }
        command.add(config.nft().toString());
        command.addAll(List.of(args));
        Process process;
        try {
            // nft's errors are short; one stream read on this thread cannot fill a second pipe.
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new NftException("cannot run " + command + ": " + e.getMessage(), e);
        }
        try {
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new NftException("nft did not finish in " + TIMEOUT_SECONDS + " s: " + command, null);
            }
            if (process.exitValue() != 0) {
                throw new NftException("nft failed (exit " + process.exitValue() + "): " + out.strip(), null);
            }
            return out;
        } catch (IOException e) {
            throw new NftException("nft failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NftException("interrupted while running nft", e);
        } finally {
            process.destroyForcibly();
        }
    }
}
