package io.capstan.controllers.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectorBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Runs a set of controllers: the loop owner of the controllers process. {@link #start()} starts
 * every informer, waits until all have synced, then starts the controllers' workers, at once or,
 * with a {@link LeaderElection}, only while this process holds the Lease. Leadership lost stops the
 * workers (the informers keep running) and this process stands again as a candidate.
 *
 * <p>Informers are shared: {@link #informer(Class)} returns one per kind, across all namespaces,
 * so two controllers reading pods share one watch and one cache.
 */
public final class ControllerManager implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ControllerManager.class);
  /** As controller-runtime's CacheSyncTimeout: a cache that cannot list in this long is an error. */
  private static final Duration CACHE_SYNC_TIMEOUT = Duration.ofMinutes(2);

  private final KubernetesClient client;
  private final LeaderElection election;
  private final Map<Class<?>, SharedIndexInformer<?>> informers = new LinkedHashMap<>();
  private final List<Controller> controllers = new ArrayList<>();
  private final ExecutorService electorExecutor;
  private CompletableFuture<?> electing;
  private volatile boolean leading;
  private boolean started;
  private boolean closed;

  /** A manager whose controllers run as soon as the caches have synced. */
  public ControllerManager(KubernetesClient client) {
    this(client, null);
  }

  /** A manager whose controllers run only while it holds {@code election}'s Lease. */
  public ControllerManager(KubernetesClient client, LeaderElection election) {
    this.client = client;
    this.election = election;
    this.electorExecutor = election == null ? null : Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "leader-election-" + election.identity());
      t.setDaemon(true);
      return t;
    });
  }

  public KubernetesClient client() {
    return client;
  }

  /** The shared informer of {@code type} across all namespaces, created on first use, not started. */
  @SuppressWarnings("unchecked")
  public synchronized <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> type) {
    return (SharedIndexInformer<T>) informers.computeIfAbsent(type,
        t -> client.resources(type).inAnyNamespace().runnableInformer(0));
  }

  /**
   * The shared informer this manager holds for objects of {@code apiVersion} and {@code kind}, if
   * some controller asked for one; lets a controller that discovers resources at run time (the
   * garbage collector) observe them without a second watch.
   */
  @SuppressWarnings("unchecked")
  public synchronized Optional<SharedIndexInformer<? extends HasMetadata>> existingInformer(String apiVersion,
      String kind) {
    for (Map.Entry<Class<?>, SharedIndexInformer<?>> e : informers.entrySet()) {
      Class<? extends HasMetadata> type = (Class<? extends HasMetadata>) e.getKey();
      if (HasMetadata.getApiVersion(type).equals(apiVersion) && HasMetadata.getKind(type).equals(kind)) {
        return Optional.of((SharedIndexInformer<? extends HasMetadata>) e.getValue());
      }
    }
    return Optional.empty();
  }

  /** Adds a controller; register everything before {@link #start()}. */
  public synchronized ControllerManager register(Controller controller) {
    if (started) {
      throw new IllegalStateException("register controllers before starting the manager");
    }
    controllers.add(controller);
    return this;
  }

  /**
   * Starts the informers, blocks until every one has synced, then starts the workers (or the
   * campaign for leadership). Throws if a cache does not sync within two minutes.
   */
  public void start() throws InterruptedException, TimeoutException {
    Set<SharedIndexInformer<?>> all;
    synchronized (this) {
      if (started || closed) {
        throw new IllegalStateException("a manager starts once");
      }
      started = true;
      all = new LinkedHashSet<>(informers.values());
      controllers.forEach(c -> all.addAll(c.informers()));
    }
    CompletableFuture<?>[] synced = all.stream()
        .map(i -> i.start().toCompletableFuture()).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(synced).get(CACHE_SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("an informer failed to sync", e.getCause());
    }
    LOG.infof("caches synced informers=%d controllers=%d", all.size(), controllers.size());
    if (election == null) {
      startControllers();
    } else {
      campaign();
    }
  }

  /** Whether this manager's controllers are running (always, without leader election). */
  public boolean isLeader() {
    return leading;
  }

  /** Stops the workers, gives up the Lease (if held) and stops the informers. */
  @Override
  public void close() {
    CompletableFuture<?> campaign;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      campaign = electing;
    }
    if (campaign != null) {
      // Cancelling releases the Lease and calls onStopLeading, which stops the workers.
      campaign.cancel(true);
    }
    stopControllers();
    if (electorExecutor != null) {
      electorExecutor.shutdownNow();
    }
    synchronized (this) {
      controllers.forEach(Controller::close);
      informers.values().forEach(SharedIndexInformer::stop);
      controllers.forEach(c -> c.informers().forEach(SharedIndexInformer::stop));
    }
  }

  private synchronized void campaign() {
    if (closed) {
      return;
    }
    LeaderElectionConfig config = new LeaderElectionConfig(
        new LeaseLock(election.namespace(), election.name(), election.identity()),
        election.leaseDuration(), election.renewDeadline(), election.retryPeriod(),
        new LeaderCallbacks(this::startControllers, this::stopControllers,
            this::observedLeader),
        true, election.name());
    electing = new LeaderElectorBuilder(client, electorExecutor).withConfig(config).build().start();
    // The elector ends when it loses the Lease (or is cancelled): stand again unless closing.
    electing.whenComplete((v, t) -> {
      stopControllers();
      campaign();
    });
  }

  private void observedLeader(String identity) {
    if (identity != null) {
      LOG.infof("leader is identity=%s lease=%s/%s", identity, election.namespace(), election.name());
    }
  }

  private synchronized void startControllers() {
    if (closed || leading) {
      return;
    }
    leading = true;
    if (election != null) {
      LOG.infof("leading identity=%s lease=%s/%s", election.identity(), election.namespace(), election.name());
    }
    controllers.forEach(Controller::start);
  }

  private synchronized void stopControllers() {
    if (!leading) {
      return;
    }
    leading = false;
    controllers.forEach(Controller::stop);
    if (election != null) {
      LOG.infof("stopped leading identity=%s", election.identity());
    }
  }
}
