package io.capstan.node.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The iptables nat chains the standard plugins make in the host namespace, for the cases their
 * DEL leaves behind: bridge's ipMasq chain when the pod's namespace is already gone, and
 * portmap's shared {@code CNI-HOSTPORT-*} chains once no hostPort uses them.
 */
final class NatChains {
    private static final List<String> HOSTPORT = List.of(
            "CNI-HOSTPORT-DNAT", "CNI-HOSTPORT-MASQ", "CNI-HOSTPORT-SETMARK");

    private final HostExec host;

    NatChains(HostExec host) {
        this.host = host;
    }

    /** The chains of one attachment, named as the plugins name them (CNI- + sha512(network + id)). */
    static List<String> podChains(String network, String containerId) {
        String h = sha512(network + containerId);
        return List.of("CNI-" + h.substring(0, 24), "CNI-DN-" + h.substring(0, 21));
    }

    /** Removes the pod's leftover chains and every rule jumping to them. */
    void removePodChains(String network, String containerId) throws IOException {
        for (String chain : podChains(network, containerId)) {
            removeChain(chain);
        }
    }

    /** Removes portmap's shared chains when no port mapping is left in CNI-HOSTPORT-DNAT. */
    void removeIdleHostportChains() throws IOException {
        HostExec.Outcome dnat = host.run("iptables", "-w", "-t", "nat", "-S", "CNI-HOSTPORT-DNAT");
        if (!dnat.ok() || dnat.stdout().lines().anyMatch(l -> l.startsWith("-A "))) {
            return;
        }
        for (String chain : HOSTPORT) {
            removeChain(chain);
        }
    }

    private void removeChain(String chain) throws IOException {
        if (!host.run("iptables", "-w", "-t", "nat", "-n", "-L", chain).ok()) {
            return;
        }
        for (String from : List.of("PREROUTING", "OUTPUT", "POSTROUTING")) {
            List<Integer> rules = jumps(from, chain);
            for (int i = rules.size() - 1; i >= 0; i--) {
                host.run("iptables", "-w", "-t", "nat", "-D", from, String.valueOf(rules.get(i)));
            }
        }
        host.run("iptables", "-w", "-t", "nat", "-F", chain);
        HostExec.Outcome x = host.run("iptables", "-w", "-t", "nat", "-X", chain);
        if (!x.ok()) {
            throw new IOException("cannot remove the iptables chain " + chain + ": " + x.stderr().strip());
        }
    }

    /** The rule numbers in {@code from} whose target is {@code chain}. */
    private List<Integer> jumps(String from, String chain) throws IOException {
        HostExec.Outcome o = host.run("iptables", "-w", "-t", "nat", "-n", "-L", from, "--line-numbers");
        List<Integer> out = new ArrayList<>();
        for (String line : o.stdout().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 1 && f[1].equals(chain) && f[0].matches("\\d+")) {
                out.add(Integer.parseInt(f[0]));
            }
        }
        return out;
    }

    private static String sha512(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
