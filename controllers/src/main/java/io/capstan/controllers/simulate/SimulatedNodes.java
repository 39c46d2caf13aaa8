package io.capstan.controllers.simulate;

import io.capstan.controllers.runtime.Controller;
import io.capstan.controllers.runtime.ControllerManager;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A set of simulated nodes against one API server, as kwok runs them: {@link #start} registers the
 * Nodes (existing ones are taken over), then every {@link SimulationConfig#leaseRenewInterval()}
 * renews each node's Lease in {@code kube-node-lease} and posts its status when the Ready condition
 * is not True (the node lifecycle controller marked it) or the last post is older than {@link
 * SimulationConfig#statusInterval()}. Pods bound to the nodes are handled by a {@link PodSimulator}
 * over one shared pod informer, with {@link SimulationConfig#podWorkers()} writes at once.
 *
 * <p>{@link #close()} stops everything and deletes nothing: the nodes stay registered and, their
 * Leases no longer renewed, are found dead by the node lifecycle controller.
 */
public final class SimulatedNodes implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SimulatedNodes.class);
  /** At most this many node and Lease writes at once. */
  private static final int NODE_WRITERS = 8;

  private final KubernetesClient client;
  private final SimulationConfig config;
  private final Clock clock;
  private final ControllerManager manager;
  private final SharedIndexInformer<Node> nodes;
  private final NodeHeartbeats heartbeats;
  private final ExecutorService writers;
  private final ScheduledExecutorService ticker;
  private final Map<String, Instant> lastStatus = new ConcurrentHashMap<>();
  /** Each node as this process registered it (for its Lease before the node cache has synced). */
  private final Map<String, Node> registered = new ConcurrentHashMap<>();

  private SimulatedNodes(KubernetesClient client, SimulationConfig config, Clock clock) {
    this.client = client;
    this.config = config;
    this.clock = clock;
    this.manager = new ControllerManager(client);
    this.nodes = manager.informer(Node.class);
    this.heartbeats = new NodeHeartbeats(client);
    this.writers = Executors.newFixedThreadPool(NODE_WRITERS, daemon("sim-node-writer"));
    this.ticker = Executors.newSingleThreadScheduledExecutor(daemon("sim-node-ticker"));
  }

  /** Registers the nodes, starts renewing their Leases and simulating their pods. */
  public static SimulatedNodes start(KubernetesClient client, SimulationConfig config) throws Exception {
    SimulatedNodes sim = new SimulatedNodes(client, config, Clock.systemUTC());
    try {
      sim.run();
    } catch (Exception | Error e) {
      sim.close();
      throw e;
    }
    return sim;
  }

  private void run() throws Exception {
    forEachNode(this::register);
    // Renew from now on, even while the caches below are still syncing.
    long period = config.leaseRenewInterval().toMillis();
    ticker.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    SharedIndexInformer<Pod> pods = manager.informer(Pod.class);
    PodSimulator simulator = new PodSimulator(client, pods, config, clock);
    manager.register(Controller.builder("simulated-pods", simulator).workers(config.podWorkers())
        .primary(pods).build());
    manager.start();
    LOG.infof("simulating nodes=%d prefix=%s", config.nodes(), config.namePrefix());
  }

  /** The names of the simulated nodes. */
  public List<String> nodeNames() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < config.nodes(); i++) {
      names.add(config.nodeName(i));
    }
    return names;
  }

  private void register(int i) {
    String name = config.nodeName(i);
    Instant now = clock.instant();
    Node node = NodeTemplates.node(name, i, now);
    Node created;
    try {
      created = client.nodes().resource(node).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      created = client.nodes().withName(name).get();
    }
    registered.put(name, created);
    heartbeats.postFullStatus(node, now);
    lastStatus.put(name, now);
    heartbeats.renewLease(created, now, SimulationConfig.LEASE_DURATION_SECONDS);
  }

  private void tick() {
    try {
      forEachNode(this::renew);
    } catch (Exception e) {
      LOG.warnf("renewing simulated nodes: %s", e.toString());
    }
  }

  private void renew(int i) {
    String name = config.nodeName(i);
    Instant now = clock.instant();
    if (!nodes.hasSynced()) {
      Node known = registered.get(name);
      if (known != null) {
        heartbeats.renewLease(known, now, SimulationConfig.LEASE_DURATION_SECONDS);
      }
      return;
    }
    Node node = nodes.getStore().getByKey(name);
    if (node == null) {
      // Deleted by someone: register it again, as a kubelet would.
      register(i);
      return;
    }
    heartbeats.renewLease(node, now, SimulationConfig.LEASE_DURATION_SECONDS);
    Instant last = lastStatus.get(name);
    if (!NodeTemplates.ready(node) || last == null || !now.isBefore(last.plus(config.statusInterval()))) {
      List<NodeCondition> current = node.getStatus() == null || node.getStatus().getConditions() == null
          ? List.of() : node.getStatus().getConditions();
      heartbeats.postConditions(name, NodeTemplates.conditions(current, now));
      lastStatus.put(name, now);
    }
  }

  private interface NodeTask {
    void run(int i) throws Exception;
  }

  /** Runs {@code task} for every node on the writer pool; fails with the first failure. */
  private void forEachNode(NodeTask task) throws Exception {
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < config.nodes(); i++) {
      int index = i;
      futures.add(writers.submit(() -> {
        task.run(index);
        return null;
      }));
    }
    Exception first = null;
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        if (first == null) {
          first = e.getCause() instanceof Exception ex ? ex : e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Stops renewing and simulating; the nodes stay. */
  @Override
  public void close() {
    ticker.shutdownNow();
    writers.shutdownNow();
    manager.close();
    LOG.infof("stopped simulating nodes=%d", config.nodes());
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
