package io.capstan.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.resources.CustomResource.PrinterColumn;
import io.capstan.apiserver.resources.ResourceType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds {@code meta.k8s.io/v1} Tables for {@code kubectl get}: the columns kubectl shows against a
 * real cluster, with every wide ({@code priority: 1}) column included, since the client filters
 * them. Each row carries the object's metadata as a {@code PartialObjectMetadata}, from which
 * kubectl prints the namespace ({@code -A}) and the {@code kind/name} prefix ({@code get all}).
 * Custom resources get the columns their CRD version declares ({@code additionalPrinterColumns},
 * see {@link CustomColumns}), a null cell being a value the object does not have. Thread-safe.
 */
public final class TablePrinter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Columns by group and plural ("" for the core group). */
  private static final Map<String, KindColumns> BY_RESOURCE = Map.ofEntries(
      Map.entry("/pods", new PodColumns()),
      Map.entry("/services", NetworkColumns.services()),
      Map.entry("/endpoints", NetworkColumns.endpoints()),
      Map.entry("/nodes", ClusterColumns.nodes()),
      Map.entry("/namespaces", ClusterColumns.namespaces()),
      Map.entry("/persistentvolumes", ClusterColumns.persistentVolumes()),
      Map.entry("/persistentvolumeclaims", ClusterColumns.persistentVolumeClaims()),
      Map.entry("/configmaps", ConfigColumns.configMaps()),
      Map.entry("/secrets", ConfigColumns.secrets()),
      Map.entry("/serviceaccounts", ConfigColumns.serviceAccounts()),
      Map.entry("/events", ConfigColumns.events()),
      Map.entry("events.k8s.io/events", ConfigColumns.events()),
      Map.entry("apps/deployments", WorkloadColumns.deployments()),
      Map.entry("apps/replicasets", WorkloadColumns.replicaSets()),
      Map.entry("apps/statefulsets", WorkloadColumns.statefulSets()),
      Map.entry("apps/daemonsets", WorkloadColumns.daemonSets()),
      Map.entry("batch/jobs", WorkloadColumns.jobs()),
      Map.entry("batch/cronjobs", WorkloadColumns.cronJobs()),
      Map.entry("coordination.k8s.io/leases", ConfigColumns.leases()),
      Map.entry("discovery.k8s.io/endpointslices", NetworkColumns.endpointSlices()));

  private static final KindColumns FALLBACK = SimpleColumns.fallback();

  /** Compiled columns of custom resources, by their CRD version's printer columns. */
  private static final Map<List<PrinterColumn>, CustomColumns> CUSTOM = new ConcurrentHashMap<>();
  private static final int MAX_CUSTOM = 512;

  private final Clock clock;

  /** A printer that computes ages against the system clock. */
  public TablePrinter() {
    this(Clock.systemUTC());
  }

  /** A printer that computes ages against {@code clock} (for tests). */
  public TablePrinter(Clock clock) {
    this.clock = clock;
  }

  /**
   * A {@code Table} of {@code objects}, all of {@code type}.
   *
   * @param type the resource type of every object
   * @param objects stored objects in their JSON wire form; not modified
   * @param includeColumnDefinitions false to leave out {@code columnDefinitions} (watch events after
   *     the first)
   * @param resourceVersion the list's resource version for {@code metadata.resourceVersion}, or null
   * @param continueToken the continuation token for {@code metadata.continue}, or null
   */
  public ObjectNode table(ResourceType type, List<ObjectNode> objects, boolean includeColumnDefinitions,
      String resourceVersion, String continueToken) {
    KindColumns columns = columnsFor(type);
    ObjectNode table = NODES.objectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode meta = table.putObject("metadata");
    if (resourceVersion != null && !resourceVersion.isEmpty()) {
      meta.put("resourceVersion", resourceVersion);
    }
    if (continueToken != null && !continueToken.isEmpty()) {
      meta.put("continue", continueToken);
    }
    if (includeColumnDefinitions) {
      ArrayNode defs = table.putArray("columnDefinitions");
      for (Column c : columns.columns()) {
        ObjectNode d = defs.addObject();
        d.put("name", c.name());
        d.put("type", c.type());
        d.put("format", c.format());
        d.put("description", c.description());
        d.put("priority", c.priority());
      }
    }
    ArrayNode rows = table.putArray("rows");
    Instant now = clock.instant();
    for (ObjectNode obj : objects) {
      rows.add(row(columns, obj, now));
    }
    return table;
  }

  /** The column definitions used for {@code type}, as name/type/format/description/priority objects. */
  public ArrayNode columnDefinitions(ResourceType type) {
    return (ArrayNode) table(type, List.of(), true, null, null).get("columnDefinitions");
  }

  private static KindColumns columnsFor(ResourceType type) {
    if (type.isCustom()) {
      List<PrinterColumn> declared = type.custom().printerColumns();
      List<PrinterColumn> key = declared == null ? List.of() : declared;
      if (CUSTOM.size() > MAX_CUSTOM) {
        CUSTOM.clear(); // CRDs come and go; keep the cache bounded
      }
      return CUSTOM.computeIfAbsent(key, CustomColumns::new);
    }
    return BY_RESOURCE.getOrDefault(type.group() + "/" + type.plural(), FALLBACK);
  }

  private static ObjectNode row(KindColumns columns, ObjectNode obj, Instant now) {
    ObjectNode row = NODES.objectNode();
    ArrayNode cells = row.putArray("cells");
    for (Object cell : columns.cells(obj, now)) {
      if (cell == null) {
        cells.addNull();
      } else if (cell instanceof Double d) {
        cells.add(d);
      } else if (cell instanceof Long l) {
        cells.add(l);
      } else if (cell instanceof Integer i) {
        cells.add(i);
      } else if (cell instanceof Boolean b) {
        cells.add(b);
      } else {
        cells.add(String.valueOf(cell));
      }
    }
    String completed = columns.completedReason(obj);
    if (completed != null) {
      ObjectNode condition = row.putArray("conditions").addObject();
      condition.put("type", "Completed");
      condition.put("status", "True");
      condition.put("reason", completed);
      condition.put("message", completed.equals("Succeeded") ? "The pod has finished successfully."
          : "The pod has finished with a failure.");
    }
    ObjectNode partial = row.putObject("object");
    partial.put("kind", "PartialObjectMetadata");
    partial.put("apiVersion", "meta.k8s.io/v1");
    JsonNode metadata = obj.get("metadata");
    partial.set("metadata", metadata != null && metadata.isObject() ? metadata.deepCopy() : NODES.objectNode());
    return row;
  }
}
