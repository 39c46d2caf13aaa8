package io.capstan.controllers.gc;

import io.capstan.controllers.meta.OwnerReferences;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The resources the API serves, from discovery (each group's preferred version), refreshed
 * periodically so that new custom resources are covered. Every resource that can be listed,
 * watched and deleted gets a generic informer whose events go to a {@link Listener}; a resource
 * that disappears has its informer stopped. Events are not collected (as upstream).
 */
public final class ResourceDiscovery implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ResourceDiscovery.class);
  /** Resources never watched: events are many, short-lived and nobody owns them. */
  private static final Set<String> IGNORED = Set.of("/events", "events.k8s.io/events");
  private static final Duration MIN_REDISCOVERY = Duration.ofSeconds(2);

  /** Receives the objects the informers see. */
  public interface Listener {
    void changed(ResourceInfo resource, HasMetadata obj);

    void deleted(ResourceInfo resource, HasMetadata obj);
  }

  /**
   * An informer another controller of the process already runs for a resource, if any (so that
   * pods, for one, are not watched and decoded twice).
   */
  public interface SharedInformers {
    Optional<SharedIndexInformer<? extends HasMetadata>> find(String apiVersion, String kind);

    /** No shared informers: a generic informer per resource. */
    SharedInformers NONE = (apiVersion, kind) -> Optional.empty();
  }

  /** How to stop observing one resource. */
  private record Watching(Runnable stop) {}

  private final KubernetesClient client;
  private final Listener listener;
  private final Duration period;
  private final SharedInformers shared;
  private final Map<String, Watching> informers = new HashMap<>();
  private volatile Map<String, ResourceInfo> byGroupKind = Map.of();
  /** When discovery last ran (nanoTime); starts "long ago" as nanoTime has no fixed origin. */
  private volatile long lastDiscovery = System.nanoTime() - 2 * MIN_REDISCOVERY.toNanos();
  private ScheduledExecutorService timer;
  private boolean closed;

  public ResourceDiscovery(KubernetesClient client, Listener listener, Duration period, SharedInformers shared) {
    this.client = client;
    this.listener = listener;
    this.period = period;
    this.shared = shared;
  }

  /** Starts discovery now and every period after; does nothing when already started. */
  public synchronized void start() {
    if (timer != null || closed) {
      return;
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gc-discovery");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::refreshQuietly, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The resource of {@code kind} in the group of {@code apiVersion}, discovering again (at most
   * every two seconds) when it is not known yet.
   */
  public Optional<ResourceInfo> resolve(String apiVersion, String kind) {
    String key = OwnerReferences.groupOf(apiVersion) + "/" + kind;
    ResourceInfo r = byGroupKind.get(key);
    if (r == null && System.nanoTime() - lastDiscovery > MIN_REDISCOVERY.toNanos()) {
      discover();
      r = byGroupKind.get(key);
    }
    return Optional.ofNullable(r);
  }

  /** How many resources have an informer. */
  public synchronized int watched() {
    return informers.size();
  }

  private void refreshQuietly() {
    try {
      Map<String, ResourceInfo> found = discover();
      syncInformers(found);
    } catch (RuntimeException e) {
      LOG.warnf("discovery failed, keeping the previous resources: %s", e.getMessage());
    }
  }

  private Map<String, ResourceInfo> discover() {
    Map<String, ResourceInfo> all = new HashMap<>();
    Map<String, ResourceInfo> watchable = new HashMap<>();
    add("", "v1", client.getApiResources("v1"), all, watchable);
    for (APIGroup g : client.getApiGroups().getGroups()) {
      GroupVersionForDiscovery pv = g.getPreferredVersion() != null ? g.getPreferredVersion()
          : g.getVersions().isEmpty() ? null : g.getVersions().get(0);
      if (pv != null) {
        try {
          add(g.getName(), pv.getVersion(), client.getApiResources(pv.getGroupVersion()), all, watchable);
        } catch (RuntimeException e) {
          LOG.debugf("discovery of %s failed: %s", pv.getGroupVersion(), e.getMessage());
        }
      }
    }
    byGroupKind = Map.copyOf(all);
    lastDiscovery = System.nanoTime();
    return watchable;
  }

  private static void add(String group, String version, APIResourceList list, Map<String, ResourceInfo> all,
      Map<String, ResourceInfo> watchable) {
    if (list == null || list.getResources() == null) {
      return;
    }
    for (APIResource r : list.getResources()) {
      if (r.getName().contains("/")) {
        continue;
      }
      ResourceInfo info = new ResourceInfo(group, version, r.getKind(), r.getName(), Boolean.TRUE.equals(r.getNamespaced()));
      all.put(group + "/" + r.getKind(), info);
      List<String> verbs = r.getVerbs() == null ? List.of() : r.getVerbs();
      if (verbs.containsAll(List.of("list", "watch", "delete")) && !IGNORED.contains(group + "/" + r.getName())) {
        watchable.put(group + "/" + r.getName(), info);
      }
    }
  }

  private synchronized void syncInformers(Map<String, ResourceInfo> found) {
    if (closed) {
      return;
    }
    informers.entrySet().removeIf(e -> {
      if (!found.containsKey(e.getKey())) {
        LOG.infof("resource %s is gone; stopping its informer", e.getKey());
        e.getValue().stop().run();
        return true;
      }
      return false;
    });
    found.forEach((key, info) -> {
      if (!informers.containsKey(key)) {
        informers.put(key, startInformer(key, info));
      }
    });
  }

  private Watching startInformer(String key, ResourceInfo info) {
    Optional<SharedIndexInformer<? extends HasMetadata>> existing = shared.find(info.apiVersion(), info.kind());
    if (existing.isPresent()) {
      return observe(existing.get(), info);
    }
    var op = client.genericKubernetesResources(info.context());
    SharedIndexInformer<GenericKubernetesResource> inf = info.namespaced()
        ? op.inAnyNamespace().runnableInformer(0) : op.runnableInformer(0);
    inf.addEventHandler(handler(info));
    Watching watching = new Watching(inf::stop);
    inf.start().whenComplete((v, t) -> {
      if (t != null) {
        LOG.warnf("informer for %s failed to start: %s", key, t.getMessage());
        forget(key, watching);
      }
    });
    LOG.debugf("watching %s for owner references", key);
    return watching;
  }

  /** Observes {@code info} through an informer someone else runs; stopping only detaches. */
  private <T extends HasMetadata> Watching observe(SharedIndexInformer<T> informer, ResourceInfo info) {
    ResourceEventHandler<T> handler = handler(info);
    informer.addEventHandler(handler);
    LOG.debugf("watching %s for owner references through the shared informer", info.plural());
    return new Watching(() -> informer.removeEventHandler(handler));
  }

  private <T extends HasMetadata> ResourceEventHandler<T> handler(ResourceInfo info) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        listener.changed(info, obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        listener.changed(info, newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        listener.deleted(info, obj);
      }
    };
  }

  private synchronized void forget(String key, Watching watching) {
    watching.stop().run();
    informers.remove(key, watching);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (timer != null) {
      timer.shutdownNow();
    }
    informers.values().forEach(w -> w.stop().run());
    informers.clear();
  }
}
