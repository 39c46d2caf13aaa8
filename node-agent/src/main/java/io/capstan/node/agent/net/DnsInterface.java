package io.capstan.node.agent.net;

import java.io.IOException;
import java.util.List;

/**
 * The interface {@code capstan-dns} in the node's network namespace (a dummy, or a bridge without
 * ports where the kernel has no dummy driver), holding the cluster DNS
 * addresses as /32s, so that the node's DNS server can bind 10.96.0.10:53 and pods reach it
 * through their default route (the bridge): the address is local, and the local routing table
 * wins over the unreachable route of the service CIDR. Exists while the agent runs.
 */
final class DnsInterface {
    static final String NAME = "capstan-dns";

    private final List<String> addresses;

    DnsInterface(List<String> addresses) {
        this.addresses = List.copyOf(addresses);
    }

    /** Creates the interface if missing, adds the addresses, brings it up; idempotent. */
    void up() throws IOException {
        if (run("ip", "link", "show", "dev", NAME).code() != 0) {
            // a kernel without the dummy driver: a bridge without ports holds local addresses as well
            Ip.Outcome dummy = run("ip", "link", "add", NAME, "type", "dummy");
            if (dummy.code() != 0) {
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
        if (run("ip", "link", "show", "dev", NAME).code() == 0) {
            check(run("ip", "link", "del", "dev", NAME));
        }
    }

    private static void check(Ip.Outcome o) throws IOException {
        if (o.code() != 0) {
            throw new IOException(String.join(" ", o.argv()) + " failed (" + o.code() + "): " + o.output().strip());
        }
    }

    private static Ip.Outcome run(String... argv) throws IOException {
        return Ip.run(argv);
    }
}
