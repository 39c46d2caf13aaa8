package io.capstan.apiserver.registry.custom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.registry.DeleteOptions;
import io.capstan.apiserver.registry.ListOptions;
import io.capstan.apiserver.registry.ListPage;
import io.capstan.apiserver.registry.Registry;
import io.capstan.apiserver.resources.ResourceCatalog;
import io.capstan.apiserver.resources.ResourceType;
import io.capstan.apiserver.storage.StorageException;
import io.capstan.apiserver.storage.Watch;
import io.capstan.apiserver.storage.WatchEvent;
import io.capstan.apiserver.storage.WatchListener;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Serves what CustomResourceDefinitions define, as apiextensions-apiserver's establishing and
 * finalizing controllers do: on every CRD change the catalog is updated (within the same moment
 * the change commits), the CRD's NamesAccepted and Established conditions are written, and a
 * CRD being deleted first has its objects deleted, then its cleanup finalizer removed.
 */
public final class CrdController implements WatchListener, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(CrdController.class);
  private final Registry registry;
  private final ResourceCatalog catalog;
  private final ResourceType crds;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "capstan-crd-controller");
    t.setDaemon(true);
    return t;
  });
  private volatile Watch watch;

  public CrdController(Registry registry) {
    this.registry = registry;
    this.catalog = registry.catalog();
    this.crds = catalog.find("apiextensions.k8s.io", "v1", "customresourcedefinitions").orElseThrow();
  }

  /** Serves every stored CRD, then follows changes. */
  public void start() {
    ListPage page = registry.list(crds, null, ListOptions.all());
    for (ObjectNode crd : page.items()) {
      sync(crd);
    }
    watch = registry.storage().watch(crds.listPrefix(null), page.revision(), this);
  }

  @Override
  public void onEvents(List<WatchEvent> events) {
    for (WatchEvent e : events) {
      if (e.type() == WatchEvent.Type.DELETE) {
        JsonNode crd = Json.parseObject(e.prevKv().value());
        worker.execute(() -> catalog.replaceGroupResource(Json.text(crd, "spec.group"),
            Json.text(crd, "spec.names.plural"), List.of()));
      } else {
        String name = e.kv().key().substring(crds.listPrefix(null).length());
        worker.execute(() -> resync(name));
      }
    }
  }

  @Override
  public void onClose(StorageException cause) {
    LOG.warnf("CRD watch closed (%s); restarting", cause.getMessage());
    worker.execute(() -> {
      if (!worker.isShutdown()) {
        start();
      }
    });
  }

  private void resync(String name) {
    try {
      sync(registry.get(crds, null, name, null));
    } catch (ApiException e) {
      if (e.code() != 404) {
        LOG.warnf(e, "syncing CRD %s failed", name);
      }
    } catch (RuntimeException e) {
      LOG.warnf(e, "syncing CRD %s failed", name);
    }
  }

  private void sync(ObjectNode crd) {
    String name = Json.text(crd, "metadata.name");
    String group = Json.text(crd, "spec.group");
    String plural = Json.text(crd, "spec.names.plural");
    List<ResourceType> types = CrdTypes.of(crd);
    if (Json.metadata(crd).hasNonNull("deletionTimestamp")) {
      cleanUp(name, types);
      return;
    }
    boolean accepted = true;
    String message = "no conflicts found";
    try {
      catalog.replaceGroupResource(group, plural, types);
    } catch (IllegalArgumentException e) {
      accepted = false;
      message = e.getMessage();
    }
    writeStatus(name, accepted, message);
  }

  private void writeStatus(String name, boolean accepted, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    registry.guaranteedUpdate(crds, null, name, false, crd -> {
      ObjectNode status = crd.withObject("/status");
      ArrayNode conditions = status.withArray("conditions");
      setCondition(conditions, "NamesAccepted", accepted, accepted ? "NoConflicts" : "NameConflict", message, now);
      setCondition(conditions, "Established", accepted, accepted ? "InitialNamesAccepted" : "NotAccepted",
          accepted ? "the initial names have been accepted" : "not all names are accepted", now);
      status.set("acceptedNames", accepted ? crd.path("spec").path("names").deepCopy() : Json.object());
      ArrayNode stored = status.withArray("storedVersions");
      for (JsonNode v : crd.path("spec").path("versions")) {
        if (v.path("storage").asBoolean() && !contains(stored, v.path("name").asText())) {
          stored.add(v.path("name").asText());
        }
      }
      return crd;
    });
  }

  private static void setCondition(ArrayNode conditions, String type, boolean ok, String reason, String message,
      String now) {
    String status = ok ? "True" : "False";
    for (JsonNode c : conditions) {
      if (type.equals(c.path("type").asText())) {
        if (!status.equals(c.path("status").asText()) || !reason.equals(c.path("reason").asText())) {
          ((ObjectNode) c).put("status", status).put("reason", reason).put("message", message)
              .put("lastTransitionTime", now);
        }
        return;
      }
    }
    conditions.addObject().put("type", type).put("status", status).put("lastTransitionTime", now)
        .put("reason", reason).put("message", message);
  }

  private static boolean contains(ArrayNode arr, String value) {
    for (JsonNode n : arr) {
      if (n.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }

  /** Deletes every object of the CRD; when none is left, releases the CRD's finalizer. */
  private void cleanUp(String name, List<ResourceType> types) {
    if (!types.isEmpty()) {
      ResourceType any = types.get(0);
      registry.deleteCollection(any, null, ListOptions.all(), DeleteOptions.defaults());
      if (!registry.list(any, null, ListOptions.all()).items().isEmpty()) {
        worker.execute(() -> resync(name));
        return;
      }
    }
    registry.guaranteedUpdate(crds, null, name, false, crd -> {
      ArrayNode finalizers = Json.metadata(crd).withArray("finalizers");
      for (int i = finalizers.size() - 1; i >= 0; i--) {
        if (CrdStrategy.CLEANUP_FINALIZER.equals(finalizers.get(i).asText())) {
          finalizers.remove(i);
        }
      }
      return crd;
    });
  }

  @Override
  public void close() {
    Watch w = watch;
    if (w != null) {
      w.close();
    }
    worker.shutdownNow();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
