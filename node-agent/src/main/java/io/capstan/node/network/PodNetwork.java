package io.capstan.node.network;

import io.capstan.node.shim.Shim;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The node's pod network, called by the agent around each pod sandbox.
 *
 * <ol>
 *   <li>{@link #start()} once: checks the plugins, creates the directories and installs the
 *       {@link SafetyRoutes}.</li>
 *   <li>{@link #setUp} before the sandbox: pins a new network namespace at
 *       {@code <data-dir>/run/netns/<pod-uid>} and attaches it: natively ({@link CapstanBridge}, then
 *       portmap for hostPorts) or with the CNI plugins (loopback for {@code lo}, the pod conflist for
 *       {@code eth0}: bridge + host-local [+ portmap]), by {@link NetworkConfig#mode()}; returns the
 *       namespace for
 *       {@code SandboxSpec.netnsPath} and the pod IPs. Idempotent: a pod already set up gets its
 *       existing attachment back; one whose namespace vanished (a reboot) is detached and set up
 *       anew.</li>
 *   <li>{@link #tearDown} after the sandbox stopped: DEL (releases the address, removes the veth,
 *       masquerade and hostPort rules), then unpins the namespace. Idempotent; works when the
 *       namespace is gone.</li>
 *   <li>{@link #gc} after a restart with the pods that should exist; {@link #cleanup} when the
 *       node leaves: every pod torn down, the bridge, idle portmap chains, routes and state
 *       removed.</li>
 * </ol>
 * Calls for different pods may run concurrently; calls for one pod must not (the agent's pod
 * worker serializes them).
 */
public final class PodNetwork {
    private static final Logger LOG = Logger.getLogger(PodNetwork.class);
    private static final Pattern UID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    static final List<String> PLUGINS = List.of("bridge", "host-local", "portmap", "loopback");

    private final NetworkConfig config;
    private final CniRunner cni;
    private final HostExec host;
    private final PodNetns netns;
    private final PodStates states;
    private final SafetyRoutes routes;
    private final NodeBridge bridge;
    private final PodMasquerade masquerade;
    private volatile CapstanBridge capstanBridge;

    public PodNetwork(NetworkConfig config) {
        this.config = config;
        this.cni = new CniRunner(config.pluginDirs(), config.hostNetns(), config.pluginTimeout());
        this.host = new HostExec(config.hostNetns());
        this.netns = new PodNetns(config.netnsDir());
        this.states = new PodStates(config.podStateDir());
        this.routes = new SafetyRoutes(config);
        this.bridge = new NodeBridge(host, config);
        this.masquerade = new PodMasquerade(host, config);
    }

    /** The configuration. */
    public NetworkConfig config() {
        return config;
    }

    /**
     * Checks that every plugin needed is present and speaks CNI 1.0.0 (portmap only, natively),
     * creates the data directories, the bridge (resetting an idle one with another podCIDR), the
     * masquerade rule and the safety routes.
     */
    public void start() throws CniException, IOException {
        boolean cniMode = config.mode() == NetworkConfig.Mode.CNI;
        for (String type : cniMode ? PLUGINS : List.of("portmap")) {
            List<String> versions = cni.versions(type);
            if (!versions.contains(CniRunner.VERSION)) {
                throw new CniException("CNI plugin " + cni.find(type) + " does not support CNI "
                        + CniRunner.VERSION + " (supports " + versions + ")", -1);
            }
        }
        Files.createDirectories(config.ipamDir());
        Files.createDirectories(config.podStateDir());
        Files.createDirectories(config.netnsDir());
        bridge.ensure();
        if (config.ipMasq()) {
            masquerade.install();
        }
        routes.install();
        if (!cniMode) {
            capstanBridge = new CapstanBridge(config, Shim.install(config.dataDir()).binary(), bridge);
        }
    }

    /** Puts pod {@code podUid} on the network, publishing {@code ports}; see the class comment. */
    public PodAttachment setUp(String podUid, List<PortMapping> ports) throws CniException, IOException {
        checkUid(podUid);
        Optional<PodAttachment> existing = attachment(podUid);
        if (existing.isPresent()) {
            return existing.get();
        }
        if (leftovers(podUid)) {
            // leftovers of an earlier attachment (its namespace vanished, e.g. by a reboot, or ADD
            // was interrupted): host-local refuses a second lease for the same container id
            tearDown(podUid);
        }
        CapstanBridge nativeBridge = config.mode() == NetworkConfig.Mode.CNI ? null : nativeBridge();
        ObjectNode state = CniRunner.JSON.createObjectNode();
        if (nativeBridge != null) {
            state.put("mode", NetworkConfig.Mode.CAPSTAN_BRIDGE.flag());
            if (!ports.isEmpty()) {
                state.set("conflist", Conflists.portmap(config));
            }
        } else {
            state.set("conflist", Conflists.pod(config, !ports.isEmpty()));
            state.set("loopback", Conflists.loopback(config));
        }
        state.set("portMappings", CniRunner.JSON.valueToTree(ports.stream().map(PortMapping::toCni).toList()));
        states.write(podUid, state);
        try {
            Path ns;
            JsonNode result;
            if (nativeBridge != null) {
                ns = netns.path(podUid);
                Files.createDirectories(ns.getParent());
                result = nativeBridge.add(podUid, ns);
                if (state.has("conflist")) {
                    result = cni.add(state.get("conflist"), attachment(podUid, ns.toString(), "eth0", state), result);
                }
            } else {
                ns = netns.create(podUid);
                cni.add(state.get("loopback"), attachment(podUid, ns.toString(), "lo", state));
                result = cni.add(state.get("conflist"), attachment(podUid, ns.toString(), "eth0", state));
            }
            state.set("result", result);
            states.write(podUid, state);
            PodAttachment a = new PodAttachment(podUid, ns, Conflists.podIps(result));
            LOG.debugf("pod %s on the network: %s", podUid, a.ips());
            return a;
        } catch (CniException | IOException | RuntimeException e) {
            try {
                tearDown(podUid);
            } catch (Exception cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** The attachment of a pod that is set up, from its state file. */
    public Optional<PodAttachment> attachment(String podUid) throws IOException {
        Optional<ObjectNode> s = states.read(podUid);
        if (s.isEmpty() || !s.get().has("result") || !netns.exists(podUid)) {
            return Optional.empty();
        }
        return Optional.of(new PodAttachment(podUid, netns.path(podUid), Conflists.podIps(s.get().get("result"))));
    }

    /** CHECK: throws when the pod's network is no longer as ADD left it (or was never set up). */
    public void check(String podUid) throws CniException, IOException {
        Optional<ObjectNode> s = states.read(podUid);
        if (s.isEmpty() || !s.get().has("result") || !netns.exists(podUid)) {
            throw new CniException("pod " + podUid + " is not on the network", -1);
        }
        if (isNative(s.get())) {
            List<String> ips = Conflists.podIps(s.get().get("result"));
            nativeBridge().check(podUid, netns.path(podUid), ips.isEmpty() ? "" : ips.get(0));
            return;
        }
        cni.check(s.get().get("conflist"), attachment(podUid, netns.path(podUid).toString(), "eth0", s.get()),
                s.get().get("result"));
    }

    /**
     * Takes pod {@code podUid} off the network: DEL with what ADD used, then unpins the
     * namespace and forgets the pod. A pod that was never set up is fine. When DEL fails the
     * state is kept, so a later call (or {@link #gc}) retries.
     */
    public void tearDown(String podUid) throws CniException, IOException {
        checkUid(podUid);
        if (!hasTraces(podUid)) {
            return; // never set up (or a hostNetwork pod): nothing to run DEL for
        }
        ObjectNode state = states.read(podUid).orElseGet(() -> {
            ObjectNode s = CniRunner.JSON.createObjectNode();
            if (config.mode() == NetworkConfig.Mode.CNI) {
                s.set("conflist", Conflists.pod(config, true));
                s.set("loopback", Conflists.loopback(config));
            } else {
                s.put("mode", NetworkConfig.Mode.CAPSTAN_BRIDGE.flag());
                s.set("conflist", Conflists.portmap(config)); // DEL of a pod without mappings is a no-op
            }
            return s;
        });
        boolean pinned = netns.exists(podUid);
        String path = pinned ? netns.path(podUid).toString() : "";
        JsonNode conflist = state.get("conflist");
        if (isNative(state)) {
            if (conflist != null) {
                cni.del(conflist, attachment(podUid, path, "eth0", state), state.get("result"));
            }
            nativeBridge().del(podUid);
            netns.remove(podUid);
            states.delete(podUid);
            return;
        }
        cni.del(conflist, attachment(podUid, path, "eth0", state), state.get("result"));
        if (pinned) {
            cni.del(state.get("loopback"), attachment(podUid, path, "lo", state), null);
        } else {
            // bridge skips its masquerade rules when the namespace is gone; portmap's DEL is complete
            new NatChains(host).removePodChains(conflist.path("name").asString(config.networkName()), podUid);
        }
        netns.remove(podUid);
        states.delete(podUid);
    }

    /**
     * The pods this node's network knows: state files, pinned namespaces and IPAM leases.
     */
    public Set<String> pods() throws IOException {
        Set<String> out = new TreeSet<>(states.list());
        out.addAll(netns.list());
        out.addAll(leaseOwners());
        out.removeIf(uid -> !UID.matcher(uid).matches());
        return out;
    }

    /**
     * Tears down every known pod not in {@code alive} (orphans of a crash or of a restart that
     * missed a deletion). Failures are logged and the rest continue; returns the pods removed.
     * {@code alive} must include pods being set up concurrently (call it before pod workers start,
     * or with every pod the agent holds).
     */
    public Set<String> gc(Set<String> alive) throws IOException {
        Set<String> removed = new TreeSet<>();
        for (String uid : pods()) {
            if (alive.contains(uid)) {
                continue;
            }
            try {
                tearDown(uid);
                removed.add(uid);
            } catch (CniException | IOException e) {
                LOG.warnf("cannot tear down the network of gone pod %s: %s", uid, e.getMessage());
            }
        }
        return removed;
    }

    /**
     * Removes everything this node's network made: every pod (DEL), the bridge, portmap's shared
     * chains once idle, the safety routes and the state under the data dir. The first failure is
     * thrown after every step was tried.
     */
    public void cleanup() throws IOException {
        List<Exception> errors = new ArrayList<>();
        for (String uid : pods()) {
            try {
                tearDown(uid);
            } catch (CniException | IOException e) {
                errors.add(e);
            }
        }
        HostExec.Outcome link = host.run("ip", "link", "show", "dev", config.bridge());
        if (link.ok()) {
            HostExec.Outcome del = host.run("ip", "link", "del", "dev", config.bridge());
            if (!del.ok()) {
                errors.add(new IOException("cannot remove bridge " + config.bridge() + ": " + del.stderr().strip()));
            }
        }
        try {
            new NatChains(host).removeIdleHostportChains();
            masquerade.remove();
            routes.remove();
            if (errors.isEmpty()) {
                deleteTree(config.ipamDir().resolve(config.networkName()));
            }
        } catch (IOException e) {
            errors.add(e);
        }
        if (!errors.isEmpty()) {
            IOException e = new IOException("pod network cleanup incomplete: " + errors.get(0).getMessage(), errors.get(0));
            errors.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }

    private static boolean isNative(JsonNode state) {
        return NetworkConfig.Mode.CAPSTAN_BRIDGE.flag().equals(state.path("mode").asString(""));
    }

    /** The native attacher; also for a network that was not started (teardown, cleanup). */
    private CapstanBridge nativeBridge() throws IOException {
        CapstanBridge b = capstanBridge;
        if (b == null) {
            b = new CapstanBridge(config, Shim.install(config.dataDir()).binary(), bridge);
            capstanBridge = config.mode() == NetworkConfig.Mode.CNI ? null : b;
        }
        return b;
    }

    /**
     * {@link #hasTraces} for a pod about to be set up, without listing directories: the native
     * allocator answers for the leases from what it keeps in memory (listing every lease took about
     * 3 ms per pod start with 100 pods on the node).
     */
    private boolean leftovers(String podUid) throws IOException {
        if (states.exists(podUid) || Files.exists(netns.path(podUid), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        return config.mode() == NetworkConfig.Mode.CNI ? leaseOwners().contains(podUid) : nativeBridge().leased(podUid);
    }

    /** Whether anything of the pod is left: a state file, a namespace file or a lease. */
    private boolean hasTraces(String podUid) throws IOException {
        return states.list().contains(podUid) || netns.list().contains(podUid) || leaseOwners().contains(podUid);
    }

    /** The owners (container ids) of host-local's leases. */
    private List<String> leaseOwners() throws IOException {
        Path dir = config.ipamDir().resolve(config.networkName());
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.matches("[0-9.]+|[0-9a-fA-F:]+") && Files.isRegularFile(p)) {
                    String owner = Files.readString(p, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
                    if (UID.matcher(owner).matches()) {
                        out.add(owner);
                    }
                }
            }
        }
        return out;
    }

    private static CniRunner.Attachment attachment(String podUid, String ns, String ifName, ObjectNode state) {
        JsonNode ports = state.get("portMappings");
        Map<String, Object> caps = ports != null && ports.isArray() && !ports.isEmpty()
                ? Map.of("portMappings", CniRunner.JSON.treeToValue(ports, List.class)) : Map.of();
        return new CniRunner.Attachment(podUid, ns, ifName, caps);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static void checkUid(String podUid) {
        if (podUid == null || !UID.matcher(podUid).matches()) {
            throw new IllegalArgumentException("not a pod uid: " + podUid);
        }
    }
}
