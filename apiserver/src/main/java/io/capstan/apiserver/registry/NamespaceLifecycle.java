package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.resources.ResourceType;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Namespace lifecycle: creates are refused in missing or terminating namespaces; deleting a
 * namespace marks it Terminating, then a background loop deletes everything in it and removes it
 * once empty (kube-apiserver's NamespaceLifecycle admission plus the namespace controller). The
 * check before a create reads a {@link NamespaceCache} and falls back to storage only for names
 * the cache does not know.
 */
public final class NamespaceLifecycle implements AutoCloseable {
  /** Namespaces that exist on first start. */
  public static final List<String> INITIAL = List.of("default", "kube-system", "kube-public", "kube-node-lease");
  private static final Set<String> UNDELETABLE = Set.of("default", "kube-system", "kube-public");
  private static final Logger LOG = Logger.getLogger(NamespaceLifecycle.class);
  private static final long SWEEP_SECONDS = 2;

  private final Registry registry;
  private ScheduledExecutorService sweeper;
  private volatile NamespaceCache cache;

  NamespaceLifecycle(Registry registry) {
    this.registry = registry;
  }

  private ResourceType namespaceType() {
    return registry.catalog().find("", "v1", "namespaces").orElseThrow();
  }

  /** Creates the initial namespaces when missing and starts the background finalizer. */
  public synchronized void start() {
    for (String ns : INITIAL) {
      if (registry.find(namespaceType(), null, ns).isEmpty()) {
        ObjectNode obj = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
        obj.putObject("metadata").put("name", ns);
        try {
          registry.create(namespaceType(), null, obj, WriteOptions.defaults());
        } catch (ApiException e) {
          if (e.code() != 409) {
            throw e;
          }
        }
      }
    }
    if (sweeper == null) {
      sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "capstan-namespace-finalizer");
        t.setDaemon(true);
        return t;
      });
      sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
      cache = new NamespaceCache(registry.storage(), namespaceType().listPrefix(null), sweeper);
      cache.start();
    }
  }

  @Override
  public synchronized void close() {
    if (sweeper != null) {
      cache.close();
      sweeper.shutdownNow();
      sweeper = null;
    }
  }

  /** @throws ApiException 404 when the namespace is missing, 403 when it is terminating */
  void checkCreateAllowed(String namespace) {
    NamespaceCache known = cache;
    NamespaceCache.State state = known == null ? NamespaceCache.State.UNKNOWN : known.lookup(namespace);
    if (state == NamespaceCache.State.ACTIVE) {
      return;
    }
    if (state == NamespaceCache.State.TERMINATING) {
      throw terminating(namespace);
    }
    ObjectNode ns = registry.find(namespaceType(), null, namespace).map(StoredObjects::decode)
        .orElseThrow(() -> StatusErrors.notFound("", "namespaces", namespace));
    if (ObjectMetaRules.isBeingDeleted(ns) || "Terminating".equals(Json.text(ns, "status.phase"))) {
      throw terminating(namespace);
    }
  }

  private static ApiException terminating(String namespace) {
    String msg = "unable to create new content in namespace " + namespace + " because it is being terminated";
    return new ApiException(403, "Forbidden", msg, new ApiException.Details(namespace, "", "namespaces", null,
        List.of(new ApiException.Cause("NamespaceTerminating", msg, "metadata.namespace"))));
  }

  /** Marks the namespace Terminating; its content goes in the background. */
  ObjectNode beginTermination(String name, boolean dryRun) {
    if (UNDELETABLE.contains(name)) {
      throw StatusErrors.forbidden("", "namespaces", name, "namespaces \"" + name + "\" is forbidden: this namespace may not be deleted");
    }
    ObjectNode result = registry.guaranteedUpdate(namespaceType(), null, name, dryRun, ns -> {
      ObjectNode meta = Json.metadata(ns);
      if (!meta.hasNonNull("deletionTimestamp")) {
        meta.put("deletionTimestamp", ObjectMetaRules.timestamp(registry.clock()));
        meta.put("deletionGracePeriodSeconds", 0);
      }
      ns.withObject("/status").put("phase", "Terminating");
      return ns;
    });
    NamespaceCache known = cache;
    if (!dryRun && known != null) {
      known.written(result); // refuse creates in it from now on, before the watch says so
    }
    return result;
  }

  /** One pass: for each terminating namespace, delete its content; remove it when empty. */
  void sweep() {
    try {
      for (ObjectNode ns : registry.list(namespaceType(), null, ListOptions.all()).items()) {
        if (ObjectMetaRules.isBeingDeleted(ns) && terminatingLongEnough(ns)) {
          finish(Json.metadata(ns).path("name").asText());
        }
      }
    } catch (RuntimeException e) {
      LOG.warnf(e, "namespace finalizer pass failed");
    }
  }

  /**
   * Content goes one pass after termination starts, not at once: a client deleting a namespace
   * and then its objects (kubectl delete -f of a directory) finds them still there, as it does
   * against Kubernetes, whose namespace controller also takes a moment.
   */
  private boolean terminatingLongEnough(ObjectNode ns) {
    Instant since = Instant.parse(Json.text(ns, "metadata.deletionTimestamp"));
    return !since.plusSeconds(1).isAfter(Instant.now(registry.clock()));
  }

  private void finish(String name) {
    boolean empty = true;
    for (ResourceType type : registry.catalog().namespaced()) {
      List<ObjectNode> left = registry.deleteCollection(type, name, ListOptions.all(), DeleteOptions.background());
      empty &= left.isEmpty() || registry.list(type, name, ListOptions.all()).items().isEmpty();
    }
    if (!empty) {
      return;
    }
    try {
      registry.guaranteedUpdate(namespaceType(), null, name, false, ns -> {
        JsonNode finalizers = ns.path("spec").path("finalizers");
        ArrayNode kept = Json.NODES.arrayNode();
        finalizers.forEach(f -> {
          if (!f.asText().equals("kubernetes")) {
            kept.add(f);
          }
        });
        ns.withObject("/spec").set("finalizers", kept);
        return ns;
      });
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
  }
}
