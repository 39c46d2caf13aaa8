package io.capstan.apiserver.registry.fieldmanager;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code metadata.managedFields} decoded: one {@link Entry} per manager identity (manager name,
 * operation, subresource and, for Update only, apiVersion), and encoded back in upstream's order.
 */
final class ManagedFields {
  static final String APPLY = "Apply";
  static final String UPDATE = "Update";
  /** Upstream's DefaultMaxUpdateManagers: older Update entries are merged beyond this many. */
  static final int MAX_UPDATE_MANAGERS = 10;
  static final String ANCIENT_CHANGES = "ancient-changes";

  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");
  private static volatile Formatted lastFormatted;

  private ManagedFields() {}

  /** One managedFields entry. Mutable: the field manager updates sets and times in place. */
  static final class Entry {
    final String manager;
    final String operation;
    String apiVersion;
    Instant time;
    final String subresource;
    FieldSet set;

    Entry(String manager, String operation, String apiVersion, Instant time, String subresource, FieldSet set) {
      this.manager = manager;
      this.operation = operation;
      this.apiVersion = apiVersion;
      this.time = time;
      this.subresource = subresource == null || subresource.isEmpty() ? null : subresource;
      this.set = set;
    }

    /** The identity upstream keys managers by (the entry without fields and time, as JSON). */
    String identity() {
      return ManagedFields.identity(manager, operation, apiVersion, subresource);
    }

    boolean applied() {
      return APPLY.equals(operation);
    }
  }

  static String identity(String manager, String operation, String apiVersion, String subresource) {
    // the compact JSON of {manager, operation, apiVersion (not for Apply), subresource}, written
    // directly: it is computed on every write
    StringBuilder b = new StringBuilder(96).append('{');
    member(b, "manager", manager);
    b.append(',');
    member(b, "operation", operation);
    if (!APPLY.equals(operation) && apiVersion != null && !apiVersion.isEmpty()) {
      b.append(',');
      member(b, "apiVersion", apiVersion);
    }
    if (subresource != null && !subresource.isEmpty()) {
      b.append(',');
      member(b, "subresource", subresource);
    }
    return b.append('}').toString();
  }

  private static void member(StringBuilder b, String name, String value) {
    b.append('"').append(name).append("\":");
    if (value == null) {
      b.append("null");
    } else {
      b.append('"');
      JsonStringEncoder.getInstance().quoteAsString(value, b);
      b.append('"');
    }
  }

  /** Whether a request's list asks for a reset: a single empty entry ({@code [{}]}). */
  static boolean isReset(JsonNode list) {
    return list != null && list.isArray() && list.size() == 1 && list.get(0).isObject() && list.get(0).isEmpty();
  }

  /** Decodes a managedFields list (null or absent: none); IllegalArgumentException when invalid. */
  static Map<String, Entry> decode(JsonNode list) {
    Map<String, Entry> out = new LinkedHashMap<>();
    if (list == null || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      throw new IllegalArgumentException("managedFields must be a list");
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode e = list.get(i);
      if (!e.isObject()) {
        throw new IllegalArgumentException("managed fields entry " + i + " must be an object");
      }
      String operation = e.path("operation").asText("");
      if (!operation.equals(APPLY) && !operation.equals(UPDATE)) {
        throw new IllegalArgumentException("operation must be `Apply` or `Update`");
      }
      String apiVersion = e.path("apiVersion").asText("");
      if (apiVersion.isEmpty()) {
        throw new IllegalArgumentException("apiVersion must not be empty");
      }
      String fieldsType = e.path("fieldsType").asText("");
      if (fieldsType.isEmpty()) {
        throw new IllegalArgumentException("missing fieldsType in managed fields entry " + i);
      }
      if (!fieldsType.equals("FieldsV1")) {
        throw new IllegalArgumentException("invalid fieldsType \"" + fieldsType + "\" in managed fields entry " + i);
      }
      JsonNode fields = e.get("fieldsV1");
      FieldSet set = fields == null || fields.isNull() ? new FieldSet() : FieldSet.fromFieldsV1(fields);
      Entry entry = new Entry(e.path("manager").asText(""), operation, apiVersion, parseTime(e.get("time")),
          e.path("subresource").asText(""), set);
      out.put(entry.identity(), entry);
    }
    return out;
  }

  private static Instant parseTime(JsonNode t) {
    if (t == null || t.isNull() || t.asText().isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(t.asText()).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("invalid time in managed fields entry: " + t.asText());
    }
  }

  /** Encodes the entries that own something, sorted as upstream: Apply first, then by time, manager, .... */
  static ArrayNode encode(Map<String, Entry> entries) {
    List<Entry> list = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (!e.set.isEmpty()) {
        list.add(e);
      }
    }
    list.sort(Comparator.<Entry, String>comparing(e -> e.operation)
        .thenComparingLong(e -> e.time == null ? 0 : e.time.getEpochSecond())
        .thenComparing(e -> e.manager)
        .thenComparing(e -> e.apiVersion)
        .thenComparing(e -> e.subresource == null ? "" : e.subresource));
    ArrayNode out = JsonValues.NODES.arrayNode();
    for (Entry e : list) {
      ObjectNode o = out.addObject();
      o.put("manager", e.manager);
      o.put("operation", e.operation);
      o.put("apiVersion", e.apiVersion);
      if (e.time != null) {
        o.put("time", format(e.time));
      }
      o.put("fieldsType", "FieldsV1");
      o.set("fieldsV1", e.set.toFieldsV1());
      if (e.subresource != null) {
        o.put("subresource", e.subresource);
      }
    }
    return out;
  }

  /** RFC 3339 in UTC with second precision, as metav1.Time serializes. */
  static String format(Instant t) {
    long second = t.getEpochSecond();
    Formatted last = lastFormatted;
    if (last != null && last.second == second) {
      return last.text;
    }
    String text = RFC3339.format(t.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    lastFormatted = new Formatted(second, text);
    return text;
  }

  /** The last second {@link #format} formatted: writes come many to a second. */
  private record Formatted(long second, String text) {}

  /** Drops entries that own nothing. */
  static void dropEmpty(Map<String, Entry> entries) {
    entries.values().removeIf(e -> e.set.isEmpty());
  }

  /**
   * Keeps at most {@link #MAX_UPDATE_MANAGERS} Update entries: the oldest are merged, per API
   * version, into an {@code ancient-changes} entry carrying the time of the newest one merged.
   */
  static void capUpdateManagers(Map<String, Entry> entries) {
    List<Entry> updaters = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (!e.applied()) {
        updaters.add(e);
      }
    }
    if (updaters.size() <= MAX_UPDATE_MANAGERS) {
      return;
    }
    updaters.sort(Comparator.comparing((Entry e) -> e.time == null ? Instant.EPOCH : e.time));
    Map<String, Entry> firstOfVersion = new HashMap<>();
    int count = updaters.size();
    for (int i = 0; i < updaters.size() && count > MAX_UPDATE_MANAGERS; i++) {
      Entry e = updaters.get(i);
      Entry first = firstOfVersion.get(e.apiVersion);
      if (first == null) {
        firstOfVersion.put(e.apiVersion, e);
        continue;
      }
      String bucketId = identity(ANCIENT_CHANGES, UPDATE, e.apiVersion, null);
      if (e.identity().equals(bucketId)) {
        continue;
      }
      Entry bucket = entries.get(bucketId);
      if (bucket == null) {
        entries.remove(first.identity());
        bucket = new Entry(ANCIENT_CHANGES, UPDATE, e.apiVersion, first.time, null, first.set);
        entries.put(bucketId, bucket);
        firstOfVersion.put(e.apiVersion, bucket);
      }
      bucket.set = bucket.set.union(e.set);
      bucket.time = e.time;
      entries.remove(e.identity());
      count--;
    }
  }
}
