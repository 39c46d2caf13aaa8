package io.capstan.node.agent.net;

import io.capstan.node.cri.ContainerSpec;
import io.capstan.node.dns.ClusterDns;
import io.capstan.node.dns.DnsConfig;
import io.capstan.node.dns.PodDns;
import io.capstan.node.dns.ResolvConf;
import io.capstan.node.dns.ServiceEnv;
import io.capstan.node.network.CniException;
import io.capstan.node.network.PodAttachment;
import io.capstan.node.network.PortMapping;
import io.capstan.node.proxy.Cidr;
import io.capstan.node.proxy.ProxyConfig;
import io.capstan.node.proxy.ServiceProxy;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Pod networking on this node: the CNI pod network over the node's podCIDR ({@link NodePodNetwork}),
 * the cluster DNS server on the {@code capstan-dns} interface, the service proxy (nftables
 * {@code table ip capstan}), each pod's resolv.conf
 * ({@code <data-dir>/run/resolv/<pod-uid>/resolv.conf}, bind-mounted read-only at
 * {@code /etc/resolv.conf}) and the service environment variables from a Service informer.
 * {@link #close()} stops the proxy (its table and routes go), the DNS server and removes
 * {@code capstan-dns}; the bridge, the safety
 * routes and the pods' networks stay for the next agent ({@link #cleanup} removes them).
 */
public final class NodeNetworking implements PodNetworking {
    private static final Logger LOG = Logger.getLogger(NodeNetworking.class);
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

    private final NetworkOptions options;
    private final Path dataDir;
    private final NodePodNetwork network;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final PodDns podDns;
    private final String nodeName;
    private volatile ClusterDns dns;
    private volatile ServiceProxy proxy;
    private final KubernetesClient client;
    private SharedIndexInformer<io.fabric8.kubernetes.api.model.Node> nodes;
    private NodeRoutes routes;

    public NodeNetworking(NetworkOptions options, Path dataDir, KubernetesClient client, String nodeName)
            throws IOException {
        this.options = options;
        this.dataDir = dataDir;
        this.nodeName = nodeName;
        this.client = client;
        this.network = new NodePodNetwork(options, dataDir, client, nodeName);
        this.services = client.services().inAnyNamespace().runnableInformer(0);
        this.slices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
        this.podDns = new PodDns(options.clusterDomain(), options.clusterDns(), ResolvConf.host());
    }

    /** The Service informer (shared with the service proxy). */
    public SharedIndexInformer<Service> services() {
        return services;
    }

    /** The EndpointSlice informer (shared with the service proxy). */
    public SharedIndexInformer<EndpointSlice> endpointSlices() {
        return slices;
    }

    @Override
    public void start() throws Exception {
        for (SharedIndexInformer<?> i : List.of(services, slices)) {
            i.start().toCompletableFuture().get(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (options.dnsServer() && !options.clusterDns().isEmpty()) {
            try {
                new DnsInterface(options.clusterDns()).up();
                DnsConfig config = new DnsConfig(options.clusterDomain(),
                        options.clusterDns().stream().map(DnsConfig::literal).toList(), 53, DnsConfig.DEFAULT_TTL,
                        DnsConfig.upstreamsOf(ResolvConf.host()), Duration.ofSeconds(2));
                dns = ClusterDns.start(config, services, slices);
            } catch (IOException | RuntimeException e) {
                // pods still get their resolv.conf; names resolve once a server holds the address
                LOG.warnf("cluster DNS not served on this node: %s", e.getMessage());
            }
        }
        if (options.hostGwRoutes()) {
            nodes = client.nodes().runnableInformer(0);
            routes = new NodeRoutes(nodes, nodeName);
            routes.start();
            nodes.start();
        }
        ServiceProxy p = new ServiceProxy(services, slices, proxyConfig(options, nodeName, dns != null));
        proxy = p;
        try {
            p.start();
        } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
            LOG.warnf("service rules not programmed yet (retried in the background): %s", e.getMessage());
        }
    }

    /**
     * The service proxy's configuration: this node, the cluster's CIDRs, and the per-ClusterIP routes
     * (which let the node's own connections past the unreachable service route) over
     * {@code capstan-dns} when it exists, since that device is up from the start, else over the
     * bridge, which appears with the first pod.
     */
    static ProxyConfig proxyConfig(NetworkOptions options, String nodeName, boolean dnsInterface) {
        return ProxyConfig.defaults().withNodeName(nodeName).withServiceCidr(Cidr.parse(options.serviceCidr()))
                .withClusterCidr(Cidr.parse(options.clusterCidr()))
                .withServiceRouteDevice(dnsInterface ? DnsInterface.NAME : "capstan0");
    }

    @Override
    public void gc(Set<String> alive) {
        network.gc(alive);
        Path dir = resolvDir();
        if (Files.isDirectory(dir)) {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    if (!alive.contains(p.getFileName().toString())) {
                        deletePodFiles(p.getFileName().toString());
                    }
                }
            } catch (IOException e) {
                LOG.warnf("cannot clean up pods' resolv.conf: %s", e.getMessage());
            }
        }
    }

    @Override
    public Attachment attach(Pod pod) throws SetupException {
        if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            return null;
        }
        String uid = pod.getMetadata().getUid();
        try {
            PodAttachment a = network.setUp(uid, PortMapping.of(pod));
            return new Attachment(a.netnsPath().toString(), a.ips());
        } catch (CniException | IOException | RuntimeException e) {
            throw new SetupException(e.getMessage(), e);
        }
    }

    @Override
    public void detach(String podUid) throws IOException {
        try {
            network.tearDown(podUid);
        } catch (CniException e) {
            throw new IOException(e.getMessage(), e);
        }
        deletePodFiles(podUid);
    }

    @Override
    public List<ContainerSpec.MountSpec> mounts(Pod pod, BiConsumer<String, String> warn) throws IOException {
        PodDns.Result r = podDns.forPod(pod);
        r.warnings().forEach(w -> warn.accept(w.reason(), w.message()));
        Path dir = resolvDir().resolve(pod.getMetadata().getUid());
        Files.createDirectories(dir);
        Path file = dir.resolve("resolv.conf");
        byte[] text = r.resolvConf().render().getBytes(StandardCharsets.UTF_8);
        if (!Files.exists(file) || !java.util.Arrays.equals(Files.readAllBytes(file), text)) {
            Path tmp = dir.resolve(".resolv.conf.tmp");
            Files.write(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return List.of(new ContainerSpec.MountSpec(file.toString(), "/etc/resolv.conf", true));
    }

    @Override
    public List<ContainerSpec.EnvVar> withServiceEnv(Pod pod, List<ContainerSpec.EnvVar> env) {
        return ServiceEnv.appendTo(env, ServiceEnv.forPod(pod, services.getStore().list()));
    }

    @Override
    public void close() {
        if (nodes != null) {
            nodes.stop();
            routes.close(); // the routes to other nodes' pods go with the agent
        }
        ServiceProxy p = proxy;
        proxy = null;
        if (p != null) {
            p.close(); // deletes the service routes and table ip capstan
        }
        ClusterDns d = dns;
        dns = null;
        if (d != null) {
            d.close();
        }
        services.stop();
        slices.stop();
        if (options.dnsServer()) {
            try {
                DnsInterface.remove();
            } catch (IOException e) {
                LOG.warnf("cannot remove %s: %s", DnsInterface.NAME, e.getMessage());
            }
        }
    }

    /**
     * Removes everything the node's networking made (run with no agent on {@code dataDir}): every
     * pod's network, the bridge, the safety routes, the IPAM state, pods' resolv.conf files and the
     * {@code capstan-dns} interface.
     */
    public static void cleanup(NetworkOptions options, Path dataDir) throws IOException {
        List<IOException> errors = new ArrayList<>();
        try {
            NodePodNetwork.cleanup(options, dataDir);
        } catch (IOException e) {
            errors.add(e);
        }
        if (!ServiceProxy.cleanup(proxyConfig(options, "", false))) {
            errors.add(new IOException("cannot remove the service rules (table ip capstan, routes proto 201)"));
        }
        try {
            DnsInterface.remove();
            NodeRoutes.removeAll();
        } catch (IOException e) {
            errors.add(e);
        }
        deleteTree(dataDir.resolve("run/resolv"));
        if (!errors.isEmpty()) {
            throw errors.get(0);
        }
    }

    private Path resolvDir() {
        return dataDir.resolve("run/resolv");
    }

    private void deletePodFiles(String uid) throws IOException {
        deleteTree(resolvDir().resolve(uid));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
