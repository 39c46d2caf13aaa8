package io.capstan.controllers.runtime;

import io.capstan.controllers.meta.OwnerReferences;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One reconciler fed by informers through a {@link WorkQueue} to N worker threads.
 *
 * <p>Sources: the primary informer enqueues each object's own key; {@linkplain Builder#owns owned}
 * informers enqueue the key of the object's controller owner of the given kind; {@linkplain
 * Builder#watches(SharedIndexInformer, Function) mapped} informers enqueue whatever their
 * function returns. Event handlers are registered at {@link Builder#build()}, so keys collect in
 * the queue from the informers' first list on, even before the workers start.
 *
 * <p>{@link #start()} and {@link #stop()} may alternate (leadership gained and lost): stopping
 * shuts the queue down and waits for the workers; starting makes a fresh queue and enqueues every
 * object in the primary cache, so nothing missed while stopped is lost. The informers themselves
 * belong to the {@link ControllerManager}.
 */
public final class Controller {
  private static final Logger LOG = Logger.getLogger(Controller.class);
  /** How long {@link #stop()} lets a reconcile in flight finish before interrupting it. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final String name;
  private final Reconciler reconciler;
  private final int workers;
  private final SharedIndexInformer<? extends HasMetadata> primary;
  private final Supplier<? extends Collection<Request>> resync;
  private final Runnable onStart;
  private final List<AutoCloseable> closeables;
  private final Set<SharedIndexInformer<?>> informers;
  private volatile WorkQueue<Request> queue = new WorkQueue<>();
  private final List<Thread> threads = new ArrayList<>();

  private Controller(Builder b) {
    this.name = b.name;
    this.reconciler = b.reconciler;
    this.workers = b.workers;
    this.primary = b.primary;
    this.resync = b.resync;
    if (primary == null && resync == null) {
      throw new IllegalStateException("controller " + name + " needs a primary informer or a resync source");
    }
    this.onStart = b.onStart;
    this.closeables = List.copyOf(b.closeables);
    this.informers = Set.copyOf(b.informers);
  }

  public static Builder builder(String name, Reconciler reconciler) {
    return new Builder(name, reconciler);
  }

  public String name() {
    return name;
  }

  /** Every informer this controller reads from; the manager starts them and waits for sync. */
  public Set<SharedIndexInformer<?>> informers() {
    return informers;
  }

  /** Queues {@code request} for reconciliation (ignored while the controller is stopped). */
  public void enqueue(Request request) {
    queue.add(request);
  }

  public synchronized boolean isRunning() {
    return !threads.isEmpty();
  }

  /** Starts the workers; the informers should have synced. Does nothing when running. */
  public synchronized void start() {
    if (!threads.isEmpty()) {
      return;
    }
    if (queue.isShutDown()) {
      queue = new WorkQueue<>();
    }
    WorkQueue<Request> q = queue;
    if (onStart != null) {
      onStart.run();
    }
    if (primary != null) {
      primary.getStore().list().forEach(o -> q.add(Request.of(o)));
    }
    if (resync != null) {
      resync.get().forEach(q::add);
    }
    for (int i = 0; i < workers; i++) {
      Thread t = new Thread(new Worker(name, reconciler, q), "controller-" + name + "-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    LOG.infof("started controller=%s workers=%d", name, workers);
  }

  /** Shuts the queue down and waits for the workers to finish what they are doing. */
  public synchronized void stop() {
    queue.shutDown();
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    for (Thread t : threads) {
      try {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        if (t.isAlive()) {
          t.interrupt();
          t.join(STOP_GRACE.toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (!threads.isEmpty()) {
      LOG.infof("stopped controller=%s", name);
    }
    threads.clear();
  }

  /**
   * Releases what the controller holds besides the manager's informers ({@link
   * Builder#closing}); the manager calls it once when it closes, after {@link #stop()}.
   */
  public void close() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warnf(e, "controller=%s closing %s failed", name, c);
      }
    }
  }

  /** Declares a controller's reconciler, workers and sources. */
  public static final class Builder {
    private final String name;
    private final Reconciler reconciler;
    private final Set<SharedIndexInformer<?>> informers = new LinkedHashSet<>();
    private final List<Runnable> registrations = new ArrayList<>();
    private int workers = 1;
    private SharedIndexInformer<? extends HasMetadata> primary;
    private Supplier<? extends Collection<Request>> resync;
    private Runnable onStart;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Controller built;

    private Builder(String name, Reconciler reconciler) {
      this.name = Objects.requireNonNull(name, "name");
      this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
    }

    public Builder workers(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("workers must be at least 1: " + count);
      }
      this.workers = count;
      return this;
    }

    /** The primary kind: every add, update and delete enqueues the object's own key. */
    public <T extends HasMetadata> Builder primary(SharedIndexInformer<T> informer) {
      if (primary != null) {
        throw new IllegalStateException("controller " + name + " already has a primary informer");
      }
      primary = informer;
      return watches(informer, o -> List.of(Request.of(o)));
    }

    /**
     * An owned kind: a change to an object enqueues the key of its controller owner when that
     * owner is of {@code ownerType}'s group and kind (same namespace for namespaced owners).
     */
    public <T extends HasMetadata> Builder owns(SharedIndexInformer<T> informer,
        Class<? extends HasMetadata> ownerType) {
      String group = HasMetadata.getGroup(ownerType);
      String kind = HasMetadata.getKind(ownerType);
      boolean namespaced = Namespaced.class.isAssignableFrom(ownerType);
      return watches(informer, o -> OwnerReferences.controllerOf(o)
          .filter(ref -> OwnerReferences.refersTo(ref, group, kind))
          .map(ref -> List.of(new Request(namespaced ? o.getMetadata().getNamespace() : "", ref.getName())))
          .orElse(List.of()));
    }

    /**
     * For a controller whose sources are not fixed informers (the garbage collector): the keys
     * queued at every start, in place of (or besides) the primary cache's. With it no primary
     * informer is needed; such a controller feeds its queue through {@link Controller#enqueue}.
     */
    public Builder resync(Supplier<? extends Collection<Request>> keys) {
      this.resync = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /** Runs at every start, before the workers and the initial keys (e.g. to start own sources). */
    public Builder onStart(Runnable hook) {
      this.onStart = Objects.requireNonNull(hook, "hook");
      return this;
    }

    /** Something the controller owns beyond the manager's informers, closed with the manager. */
    public Builder closing(AutoCloseable resource) {
      closeables.add(Objects.requireNonNull(resource, "resource"));
      return this;
    }

    /** Any kind: a change to an object enqueues the keys {@code mapper} returns for it. */
    public <T extends HasMetadata> Builder watches(SharedIndexInformer<T> informer,
        Function<? super T, ? extends Collection<Request>> mapper) {
      informers.add(informer);
      registrations.add(() -> informer.addEventHandler(new EnqueueHandler<T>(name, mapper, built::enqueue)));
      return this;
    }

    /** Builds the controller and registers its event handlers on the informers. */
    public Controller build() {
      if (built != null) {
        throw new IllegalStateException("controller " + name + " was already built");
      }
      built = new Controller(this);
      registrations.forEach(Runnable::run);
      return built;
    }
  }
}
