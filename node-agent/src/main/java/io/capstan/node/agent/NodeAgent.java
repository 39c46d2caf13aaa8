package io.capstan.node.agent;

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
        this.config = config;
        this.network = network;
        this.node = new NodeReporter(config, client, images, clock);
        this.pods = new PodWorkers(config, client, runtime, images, clock, node::internalIp, node::allocatable,
                network);
    }

    /** Registers the node, then starts the pod workers once the pod cache has synced. */
    public void start() throws Exception {
        try {
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
        pods.close();
        network.close();
        node.close();
    }
}
