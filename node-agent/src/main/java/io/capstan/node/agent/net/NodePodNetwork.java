package io.capstan.node.agent.net;

import io.capstan.node.network.CniException;
import io.capstan.node.network.NetworkConfig;
import io.capstan.node.network.PodAttachment;
import io.capstan.node.network.PodNetwork;
import io.capstan.node.network.PortMapping;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The node's {@link PodNetwork}, started on first use with the node's podCIDR:
 * {@code node.spec.podCIDR} as the node IPAM controller set it, else {@link NetworkOptions#podCidr()}
 * (the {@code --pod-cidr} fallback). A network started from the fallback switches to
 * {@code spec.podCIDR} once that appears and no pod is on the network.
 */
final class NodePodNetwork {
    private static final Logger LOG = Logger.getLogger(NodePodNetwork.class);
    /** A placeholder podCIDR for a network that is only torn down (DEL uses each pod's recorded conflist). */
    private static final String ANY = "10.244.0.0/24";

    private final NetworkOptions options;
    private final Path dataDir;
    private final KubernetesClient client;
    private final String nodeName;
    private PodNetwork started;
    private boolean fromSpec;

    NodePodNetwork(NetworkOptions options, Path dataDir, KubernetesClient client, String nodeName) {
        this.options = options;
        this.dataDir = dataDir;
        this.client = client;
        this.nodeName = nodeName;
    }

    PodAttachment setUp(String uid, List<PortMapping> ports) throws CniException, IOException {
        return network().setUp(uid, ports);
    }

    void tearDown(String uid) throws CniException, IOException {
        idle().tearDown(uid);
    }

    void gc(Set<String> alive) {
        try {
            Set<String> removed = idle().gc(alive);
            if (!removed.isEmpty()) {
                LOG.infof("removed the networks of gone pods %s", removed);
            }
        } catch (IOException e) {
            LOG.warnf("pod network gc failed: %s", e.getMessage());
        }
    }

    static void cleanup(NetworkOptions options, Path dataDir) throws IOException {
        new PodNetwork(config(options, dataDir, ANY)).cleanup();
    }

    /** The started network over the node's podCIDR. */
    private synchronized PodNetwork network() throws CniException, IOException {
        if (started != null && fromSpec) {
            return started;
        }
        String spec = specPodCidr();
        if (started != null && (fromSpec || spec == null || spec.equals(started.config().podCidr()))) {
            return started;
        }
        if (started != null) {
            if (!started.pods().isEmpty()) {
                return started; // pods use the fallback range: keep it until they are gone
            }
            LOG.infof("node %s: switching the pod network from %s to spec.podCIDR %s", nodeName,
                    started.config().podCidr(), spec);
            started.cleanup();
            started = null;
        }
        String cidr = spec != null ? spec : options.podCidr();
        if (cidr == null) {
            throw new CniException("node " + nodeName + " has no podCIDR yet (spec.podCIDR is unset and no"
                    + " --pod-cidr was given)", -1);
        }
        PodNetwork n = new PodNetwork(config(options, dataDir, cidr));
        n.start();
        started = n;
        fromSpec = spec != null;
        LOG.infof("node %s: pod network on %s (%s)", nodeName, cidr, fromSpec ? "spec.podCIDR" : "--pod-cidr");
        return n;
    }

    /** The started network, or one only fit for teardown. */
    private synchronized PodNetwork idle() {
        return started != null ? started : new PodNetwork(config(options, dataDir, ANY));
    }

    private String specPodCidr() throws IOException {
        try {
            Node node = client.nodes().withName(nodeName).get();
            String cidr = node == null || node.getSpec() == null ? null : node.getSpec().getPodCIDR();
            return cidr == null || cidr.isEmpty() ? null : cidr;
        } catch (KubernetesClientException e) {
            throw new IOException("cannot read node " + nodeName + ": " + e.getMessage(), e);
        }
    }

    private static NetworkConfig config(NetworkOptions options, Path dataDir, String podCidr) {
        NetworkConfig d = NetworkConfig.defaults(dataDir, podCidr);
        return new NetworkConfig(d.networkName(), options.clusterCidr(), options.serviceCidr(), podCidr, d.bridge(),
                d.pluginDirs(), dataDir, d.mtu(), d.ipMasq(), d.hostNetns(), d.pluginTimeout(), options.podNetwork());
    }
}
