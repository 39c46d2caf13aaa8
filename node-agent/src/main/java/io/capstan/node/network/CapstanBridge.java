package io.capstan.node.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The native attachment of a pod to the node bridge (mode {@code capstan-bridge}, ADR 0014): an
 * address from {@link Ipam}, then one run of {@code capstan-shim net add}, which pins a new network
 * namespace, brings {@code lo} up, creates the veth pair ({@link #veth} on the bridge with hairpin,
 * {@code eth0} in the pod) and sets the address and the default route over rtnetlink. The result
 * has the shape of a CNI result, so that portmap can chain after it and the state file reads as
 * for the CNI path. Thread-safe.
 */
final class CapstanBridge {
    /** The shim's exit code when the bridge does not exist. */
    private static final int NO_BRIDGE = 2;

    private final NetworkConfig config;
    private final Path shim;
    private final Ipam ipam;
    private final NodeBridge bridge;
    private final HostExec local = new HostExec(null);

    CapstanBridge(NetworkConfig config, Path shim, NodeBridge bridge) {
        this.config = config;
        this.shim = shim;
        this.bridge = bridge;
        this.ipam = new Ipam(config.ipamDir().resolve(config.networkName()), Cidr.parse(config.podCidr()));
    }

    /** The host end of the pod's veth pair: {@code veth} + 11 hex digits of sha256(pod uid). */
    static String veth(String podUid) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(podUid.getBytes(StandardCharsets.UTF_8));
            return "veth" + HexFormat.of().formatHex(d).substring(0, 11);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Attaches the pod in namespace {@code ns} (pinned here); returns the CNI-shaped result. */
    ObjectNode add(String podUid, Path ns) throws CniException, IOException {
        String ip = ipam.allocate(podUid);
        Cidr pod = Cidr.parse(config.podCidr());
        String gateway = pod.address(1);
        List<String> argv = new ArrayList<>(List.of(shim.toString(), "net", "add", "--netns", ns.toString(),
                "--bridge", config.bridge(), "--veth", veth(podUid), "--address", ip + "/" + pod.bits(),
                "--gateway", gateway, "--mtu", String.valueOf(config.mtu())));
        hostNetns(argv);
        HostExec.Outcome o = local.run(argv.toArray(String[]::new));
        if (o.exit() == NO_BRIDGE) { // deleted behind the agent's back: make it again
            bridge.ensure();
            o = local.run(argv.toArray(String[]::new));
        }
        if (!o.ok()) {
            throw new CniException("capstan-bridge ADD (pod " + podUid + ") failed: " + o.stderr().strip(), -1);
        }
        ObjectNode result = CniRunner.JSON.createObjectNode().put("cniVersion", CniRunner.VERSION);
        result.putArray("interfaces").addObject().put("name", "eth0").put("sandbox", ns.toString());
        result.putArray("ips").addObject().put("address", ip + "/" + pod.bits()).put("gateway", gateway)
                .put("interface", 0);
        result.putArray("routes").addObject().put("dst", "0.0.0.0/0").put("gw", gateway);
        return result;
    }

    /** Whether the pod holds an address of this node's range. */
    boolean leased(String podUid) throws IOException {
        return ipam.holds(podUid);
    }

    /** Deletes the pod's veth pair (a gone one is fine) and releases its address. */
    void del(String podUid) throws CniException, IOException {
        List<String> argv = new ArrayList<>(List.of(shim.toString(), "net", "del", "--veth", veth(podUid)));
        hostNetns(argv);
        HostExec.Outcome o = local.run(argv.toArray(String[]::new));
        if (!o.ok()) {
            throw new CniException("capstan-bridge DEL (pod " + podUid + ") failed: " + o.stderr().strip(), -1);
        }
        ipam.release(podUid);
    }

    /** CHECK: the pod's eth0 has its address and the host end of the veth is on the bridge. */
    void check(String podUid, Path ns, String ip) throws CniException, IOException {
        HostExec.Outcome addr = local.run("nsenter", "--net=" + ns, "--", "ip", "-o", "-4", "addr", "show", "dev", "eth0");
        HostExec.Outcome link = new HostExec(config.hostNetns()).run("ip", "-o", "link", "show", "dev", veth(podUid));
        if (!addr.ok() || !addr.stdout().contains(" " + ip + "/")) {
            throw new CniException("capstan-bridge CHECK (pod " + podUid + "): eth0 does not have " + ip + ": "
                    + (addr.stdout() + addr.stderr()).strip(), -1);
        }
        if (!link.ok() || !link.stdout().contains("master " + config.bridge() + " ")) {
            throw new CniException("capstan-bridge CHECK (pod " + podUid + "): " + veth(podUid) + " is not on "
                    + config.bridge() + ": " + (link.stdout() + link.stderr()).strip(), -1);
        }
    }

    private void hostNetns(List<String> argv) {
        if (config.hostNetns() != null) {
            argv.addAll(List.of("--host-netns", config.hostNetns().toString()));
        }
    }
}
