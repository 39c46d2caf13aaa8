package io.capstan.node.network;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The node bridge ({@code capstan0}) with the gateway address of the node's podCIDR, and IPv4
 * forwarding. {@link #ensure()} creates it when missing (with a fixed MAC, so that the gateway's
 * address does not change as pods come and go), and resets an idle bridge that carries another
 * address block (a podCIDR of an earlier network): the CNI bridge plugin refuses such a bridge with
 * "already has an IP address different from ...". A bridge with pods attached is never reset.
 */
final class NodeBridge {
    private final HostExec host;
    private final NetworkConfig config;

    NodeBridge(HostExec host, NetworkConfig config) {
        this.host = host;
        this.config = config;
    }

    /** The gateway with the podCIDR's prefix length, e.g. 10.244.1.1/24. */
    String gateway() {
        Cidr pod = Cidr.parse(config.podCidr());
        return pod.address(1) + "/" + pod.bits();
    }

    void ensure() throws IOException {
        String br = config.bridge();
        if (!host.run("ip", "link", "show", "dev", br).ok()) {
            Cidr pod = Cidr.parse(config.podCidr());
            long g = pod.base() + 1;
            String mac = String.format("02:63:73:%02x:%02x:%02x", g >> 16 & 255, g >> 8 & 255, g & 255);
            HostExec.Outcome add = host.run("ip", "link", "add", br, "address", mac, "mtu",
                    String.valueOf(config.mtu()), "type", "bridge");
            if (!add.ok() && !host.run("ip", "link", "show", "dev", br).ok()) {
                throw new IOException("cannot create bridge " + br + ": " + add.stderr().strip());
            }
        }
        List<String> stale = new ArrayList<>();
        boolean has = false;
        for (String line : host.run("ip", "-o", "-4", "addr", "show", "dev", br).stdout().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            for (int i = 0; i + 1 < f.length; i++) {
                if (f[i].equals("inet")) {
                    if (f[i + 1].equals(gateway())) {
                        has = true;
                    } else {
                        stale.add(f[i + 1]);
                    }
                }
            }
        }
        if (!stale.isEmpty()) {
            List<String> ports = host.run("ip", "-o", "link", "show", "master", br).stdout().lines()
                    .filter(l -> !l.isBlank()).toList();
            if (!ports.isEmpty()) {
                throw new IOException("bridge " + br + " has the address " + String.join(", ", stale)
                        + ", not " + gateway() + ", and " + ports.size() + " interface(s) attached: pods of another"
                        + " podCIDR still use it (run capstan agent cleanup with no agent running)");
            }
            for (String a : stale) {
                host.run("ip", "addr", "del", a, "dev", br);
            }
        }
        if (!has) {
            HostExec.Outcome o = host.run("ip", "addr", "replace", gateway(), "dev", br);
            if (!o.ok()) {
                throw new IOException("cannot give " + br + " the address " + gateway() + ": " + o.stderr().strip());
            }
        }
        HostExec.Outcome up = host.run("ip", "link", "set", "dev", br, "up");
        if (!up.ok()) {
            throw new IOException("cannot bring " + br + " up: " + up.stderr().strip());
        }
        HostExec.Outcome fwd = host.run("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        if (!fwd.ok()) {
            throw new IOException("cannot enable IPv4 forwarding: " + fwd.stderr().strip());
        }
    }
}
