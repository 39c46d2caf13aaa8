package io.capstan.node.agent.node;

import io.capstan.controllers.simulate.NodeHeartbeats;
import io.capstan.node.agent.AgentConfig;
import io.capstan.node.cri.ImageService;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The node side of the agent, as a kubelet's node status manager: {@link #register()} creates the
 * Node (or takes over an existing one of the same name), posts its whole status and its Lease; then
 * a background thread renews the Lease in {@code kube-node-lease} every lease renew interval,
 * recomputes the status every status check interval and posts it when something a user sees
 * changed (conditions, capacity, images, addresses) or the report interval has passed. A Node
 * deleted by someone is registered again.
 */
public final class NodeReporter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeReporter.class);

    private final AgentConfig config;
    private final java.util.function.IntSupplier kubeletPort;
    private final KubernetesClient client;
    private final ImageService images;
    private final Clock clock;
    private final NodeHeartbeats heartbeats;
    private final ScheduledExecutorService ticker;
    private volatile Node registered;
    private volatile NodeStatus lastPosted;
    private volatile Instant lastPostedAt;
    private volatile MachineInfo machine;

    public NodeReporter(AgentConfig config, KubernetesClient client, ImageService images, Clock clock) {
        this(config, client, images, clock, () -> 10250);
    }

    /** A reporter that publishes {@code kubeletPort} as status.daemonEndpoints.kubeletEndpoint.port. */
    public NodeReporter(AgentConfig config, KubernetesClient client, ImageService images, Clock clock,
            java.util.function.IntSupplier kubeletPort) {
        this.kubeletPort = kubeletPort;
        this.config = config;
        this.client = client;
        this.images = images;
        this.clock = clock;
        this.heartbeats = new NodeHeartbeats(client);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "node-status-" + config.nodeName());
            t.setDaemon(true);
            return t;
        });
    }

    /** Registers the node and starts the Lease and status loops. */
    public void start() {
        register();
        long lease = config.leaseRenewInterval().toMillis();
        ticker.scheduleWithFixedDelay(() -> guarded("renewing the lease", this::renewLease), lease, lease,
                TimeUnit.MILLISECONDS);
        long check = config.statusCheckInterval().toMillis();
        ticker.scheduleWithFixedDelay(() -> guarded("posting node status", this::syncStatus), check, check,
                TimeUnit.MILLISECONDS);
    }

    /** The node's InternalIP (the pods' hostIP). */
    public String internalIp() {
        MachineInfo m = machine;
        return NodeObjects.internalIp(config, m == null ? MachineInfo.read(config.dataDir()) : m);
    }

    /** The node's allocatable resources, for resourceFieldRef limits a container does not set. */
    public java.util.Map<String, io.fabric8.kubernetes.api.model.Quantity> allocatable() {
        MachineInfo m = machine;
        return NodeObjects.capacity(config, m == null ? MachineInfo.read(config.dataDir()) : m);
    }

    private void register() {
        MachineInfo m = MachineInfo.read(config.dataDir());
        machine = m;
        Node node = NodeObjects.node(config, m);
        Node current;
        try {
            current = client.nodes().resource(node).create();
            LOG.infof("registered node=%s", config.nodeName());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            current = client.nodes().withName(config.nodeName()).edit(n -> {
                java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
                if (n.getMetadata().getLabels() != null) {
                    labels.putAll(n.getMetadata().getLabels());
                }
                labels.putAll(NodeObjects.labels(config, m));
                n.getMetadata().setLabels(labels);
                return n;
            });
            LOG.infof("took over registered node=%s", config.nodeName());
        }
        registered = current;
        postStatus(m, conditionsOf(current));
        heartbeats.renewLease(current, clock.instant(), config.leaseDurationSeconds());
    }

    private void renewLease() {
        Node node = registered;
        heartbeats.renewLease(node, clock.instant(), config.leaseDurationSeconds());
    }

    private void syncStatus() {
        Node current = client.nodes().withName(config.nodeName()).get();
        if (current == null) {
            LOG.warnf("node=%s was deleted; registering it again", config.nodeName());
            register();
            return;
        }
        registered = current;
        MachineInfo m = MachineInfo.read(config.dataDir());
        machine = m;
        NodeStatus next = NodeObjects.status(config, m, images.listImages(), conditionsOf(current), clock.instant(),
                kubeletPort.getAsInt());
        NodeStatus last = lastPosted;
        boolean readyInApi = conditionsOf(current).stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        boolean due = lastPostedAt == null
                || !clock.instant().isBefore(lastPostedAt.plus(config.statusReportInterval()));
        if (!readyInApi || due || last == null || changed(last, next)) {
            postStatus(m, conditionsOf(current));
        }
    }

    /** Whether anything but heartbeat times differs. */
    private static boolean changed(NodeStatus last, NodeStatus next) {
        return !Objects.equals(last.getCapacity(), next.getCapacity())
                || !Objects.equals(last.getImages(), next.getImages())
                || !Objects.equals(last.getAddresses(), next.getAddresses())
                || !Objects.equals(last.getNodeInfo(), next.getNodeInfo())
                || !Objects.equals(last.getDaemonEndpoints(), next.getDaemonEndpoints())
                || !NodeConditions.sameStatuses(last.getConditions(), next.getConditions());
    }

    private void postStatus(MachineInfo m, List<NodeCondition> current) {
        Instant now = clock.instant();
        NodeStatus status = NodeObjects.status(config, m, images.listImages(), current, now, kubeletPort.getAsInt());
        Node template = new Node();
        template.setMetadata(registered.getMetadata());
        template.setStatus(status);
        heartbeats.postFullStatus(template, now);
        lastPosted = status;
        lastPostedAt = now;
    }

    private static List<NodeCondition> conditionsOf(Node node) {
        return node == null || node.getStatus() == null || node.getStatus().getConditions() == null ? List.of()
                : node.getStatus().getConditions();
    }

    private void guarded(String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warnf("node=%s %s: %s", config.nodeName(), what, e.toString());
        }
    }

    /** Stops renewing; the Node stays, and goes NotReady once its Lease expires. */
    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
