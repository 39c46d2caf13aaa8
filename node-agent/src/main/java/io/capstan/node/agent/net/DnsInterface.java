package io.capstan.node.agent.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The interface {@code capstan-dns} in the node's network namespace (a dummy, or a bridge without
 * ports where the kernel has no dummy driver), holding the cluster DNS
 * addresses as /32s, so that the node's DNS server can bind 10.96.0.10:53 and pods reach it
 * through their default route (the bridge): the address is local, and the local routing table
 * wins over the unreachable route of the service CIDR. Exists while the agent runs.
 */
final class DnsInterface {
    static final String NAME = "capstan-dns";
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final List<String> addresses;

    DnsInterface(List<String> addresses) {
        this.addresses = List.copyOf(addresses);
    }

    /** Creates the interface if missing, adds the addresses, brings it up; idempotent. */
    void up() throws IOException {
        if (run("ip", "link", "show", "dev", NAME).code != 0) {
            // a kernel without the dummy driver: a bridge without ports holds local addresses as well
            Outcome dummy = run("ip", "link", "add", NAME, "type", "dummy");
            if (dummy.code != 0) {
                check(run("ip", "link", "add", NAME, "type", "bridge"));
            }
        }
        for (String a : addresses) {
            check(run("ip", "addr", "replace", a + "/32", "dev", NAME));
        }
        check(run("ip", "link", "set", "dev", NAME, "up"));
    }

    /** Removes the interface (and so its addresses); a missing one is fine. */
    static void remove() throws IOException {
        if (run("ip", "link", "show", "dev", NAME).code == 0) {
            check(run("ip", "link", "del", "dev", NAME));
        }
    }

    private record Outcome(int code, String output, List<String> argv) {}

    private static void check(Outcome o) throws IOException {
        if (o.code != 0) {
            throw new IOException(String.join(" ", o.argv) + " failed (" + o.code + "): " + o.output.strip());
        }
    }

    private static Outcome run(String... argv) throws IOException {
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
