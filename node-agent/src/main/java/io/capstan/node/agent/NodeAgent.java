package io.capstan.node.agent;

import io.capstan.node.agent.api.KubeletApi;
import io.capstan.node.agent.net.PodNetworking;
import io.capstan.node.agent.node.NodeReporter;
import io.capstan.node.agent.pod.PodWorkers;
import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.ImageService;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * The node agent, capstan's kubelet: {@link #start()} registers this node (capacity, nodeInfo,
 * conditions, images) and keeps its Lease renewed, then runs the pods bound to it through the given
 * {@link ContainerRuntime} and reports their status. {@link #close()} stops the agent's threads;
 * the runtime, its containers, the client and the Node stay (the caller owns the runtime and the
 * client, and a new agent over the same runtime re-adopts the running containers).
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeAgent.class);

    private final AgentConfig config;
    private final NodeReporter node;
    private final PodWorkers pods;
    private final PodNetworking network;
    private final KubeletApi api;

    public NodeAgent(AgentConfig config, KubernetesClient client, ContainerRuntime runtime, ImageService images) {
        this(config, client, runtime, images, Clock.systemUTC());
    }

    /** An agent whose timestamps, back-offs and grace periods follow {@code clock}. */
    public NodeAgent(AgentConfig config, KubernetesClient client, ContainerRuntime runtime, ImageService images,
            Clock clock) {
        this(config, client, runtime, images, clock, PodNetworking.NONE);
    }

    /**
     * An agent whose pods are networked by {@code network} (started after the node is registered,
     * closed with the agent); {@link PodNetworking#NONE} gives every pod only loopback.
     */
    public NodeAgent(AgentConfig config, KubernetesClient client, ContainerRuntime runtime, ImageService images,
            Clock clock, PodNetworking network) {
        this(config, client, runtime, images, clock, network, null);
    }

    /**
     * An agent that also serves the node agent API ({@link KubeletApi}) with {@code api}'s port and
     * secret (exec, attach and port-forward through the runtime), and publishes the bound port in the Node's
     * status.daemonEndpoints; {@code api} {@code null} serves no API.
     */
    public NodeAgent(AgentConfig config, KubernetesClient client, ContainerRuntime runtime, ImageService images,
            Clock clock, PodNetworking network, KubeletApi.Options api) {
        this.config = config;
        this.network = network;
        PodWorkers[] workers = new PodWorkers[1];
        this.api = api == null ? null
                : new KubeletApi(config.nodeName(), api, (ns, name) -> workers[0].pod(ns, name), runtime);
        KubeletApi served = this.api;
        this.node = new NodeReporter(config, client, images, clock,
                served == null ? () -> KubeletApi.Options.DEFAULT_PORT : served::port);
        this.pods = new PodWorkers(config, client, runtime, images, clock, node::internalIp, node::allocatable,
                network);
        workers[0] = pods;
    }

    /** The port the node agent API listens on (once started), or {@code -1} when it serves none. */
    public int kubeletPort() {
        return api == null ? -1 : api.port();
    }

    /** Registers the node, then starts the pod workers once the pod cache has synced. */
    public void start() throws Exception {
        try {
            if (api != null) {
                api.start();
            }
            node.start();
            network.start();
            pods.start();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
        LOG.infof("node agent started node=%s data-dir=%s", config.nodeName(), config.dataDir());
    }

    @Override
    public void close() {
        if (api != null) {
            api.close();
        }
        pods.close();
        network.close();
        node.close();
    }
}
