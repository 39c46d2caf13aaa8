package io.capstan.node.agent.net;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * host-gw routing between nodes (ADR 0012): for every other Node with a {@code spec.podCIDR} and an
 * InternalIP, the route {@code <podCIDR> via <InternalIP> proto 202} in the node's namespace, kept in
 * step with the Nodes (added, changed, removed). The nodes must share a link (the gateway must be
 * directly reachable); a route the kernel refuses is logged and tried again at the next change or
 * resync. Only routes with {@code proto 202} are ever changed.
 */
final class NodeRoutes implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeRoutes.class);
    static final int PROTO = 202;

    private final SharedIndexInformer<Node> nodes;
    private final String self;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "capstan-node-routes");
        t.setDaemon(true);
        return t;
    });

    NodeRoutes(SharedIndexInformer<Node> nodes, String self) {
        this.nodes = nodes;
        this.self = self;
    }

    void start() {
        nodes.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node obj) {
                schedule();
            }

            @Override
            public void onUpdate(Node oldObj, Node newObj) {
                schedule();
            }

            @Override
            public void onDelete(Node obj, boolean deletedFinalStateUnknown) {
                schedule();
            }
        });
        thread.scheduleWithFixedDelay(this::sync, 0, 30, TimeUnit.SECONDS);
    }

    private void schedule() {
        try {
            thread.execute(this::sync);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    /** podCIDR -> gateway of every other node that has both. */
    Map<String, String> desired() {
        Map<String, String> out = new TreeMap<>();
        for (Node n : nodes.getStore().list()) {
            if (self.equals(n.getMetadata().getName()) || n.getSpec() == null || n.getSpec().getPodCIDR() == null
                    || n.getStatus() == null || n.getStatus().getAddresses() == null) {
                continue;
            }
            n.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType()))
                    .map(NodeAddress::getAddress).filter(a -> a.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")).findFirst()
                    .ifPresent(ip -> out.put(n.getSpec().getPodCIDR(), ip));
        }
        return out;
    }

    private synchronized void sync() {
        try {
            Map<String, String> want = desired();
            Map<String, String> have = current();
            for (var e : have.entrySet()) {
                if (!e.getValue().equals(want.get(e.getKey()))) {
                    Ip.run("ip", "route", "del", e.getKey(), "proto", Integer.toString(PROTO));
                }
            }
            for (var e : want.entrySet()) {
                if (!e.getValue().equals(have.get(e.getKey()))) {
                    Ip.Outcome o = Ip.run("ip", "route", "replace", e.getKey(), "via", e.getValue(), "proto",
                            Integer.toString(PROTO));
                    if (o.code() != 0) {
                        LOG.warnf("no route to the pods of %s via %s: %s", e.getKey(), e.getValue(),
                                o.output().strip());
                    } else {
                        LOG.infof("pods of %s routed via node %s", e.getKey(), e.getValue());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("node routes not synced: %s", e.getMessage());
        }
    }

    /** The routes this class made: podCIDR -> gateway. */
    static Map<String, String> current() throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String line : Ip.run("ip", "-4", "route", "show", "proto", Integer.toString(PROTO)).output().split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 3 && f[1].equals("via")) {
                out.put(f[0], f[2]);
            }
        }
        return out;
    }

    /** Removes every route with {@code proto 202}. */
    static void removeAll() throws IOException {
        for (String cidr : current().keySet()) {
            Ip.run("ip", "route", "del", cidr, "proto", Integer.toString(PROTO));
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
            removeAll();
        } catch (IOException e) {
            LOG.warnf("cannot remove the node routes: %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
