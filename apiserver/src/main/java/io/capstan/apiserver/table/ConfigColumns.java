package io.capstan.apiserver.table;

import static io.capstan.apiserver.table.Cells.text;
import static io.capstan.apiserver.table.WorkloadColumns.age;
import static io.capstan.apiserver.table.WorkloadColumns.name;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Columns of ConfigMap, Secret, ServiceAccount, Lease and the two Event kinds. */
final class ConfigColumns {
  private ConfigColumns() {}

  static KindColumns configMaps() {
    return new SimpleColumns(List.of(Column.nameColumn(), Column.integer("Data", "Number of data and binaryData keys."),
        Column.age()),
        (cm, now) -> List.of(name(cm), (long) (cm.path("data").size() + cm.path("binaryData").size()), age(cm, now)));
  }

  static KindColumns secrets() {
    return new SimpleColumns(List.of(Column.nameColumn(), Column.string("Type", "The secret type."),
        Column.integer("Data", "Number of data keys."), Column.age()),
        (s, now) -> List.of(name(s), text(s, "type").isEmpty() ? "Opaque" : text(s, "type"),
            (long) (s.path("data").size() + s.path("stringData").size()), age(s, now)));
  }

  static KindColumns serviceAccounts() {
    return new SimpleColumns(List.of(Column.nameColumn(), Column.integer("Secrets", "Number of referenced secrets."),
        Column.age()),
        (sa, now) -> List.of(name(sa), (long) sa.path("secrets").size(), age(sa, now)));
  }

  static KindColumns leases() {
    return new SimpleColumns(List.of(Column.nameColumn(), Column.string("Holder", "Identity of the lease holder."),
        Column.age()),
        (l, now) -> List.of(name(l), text(l, "spec", "holderIdentity"), age(l, now)));
  }

  /** core/v1 Event ({@code involvedObject}) and events.k8s.io/v1 Event ({@code regarding}) alike. */
  static KindColumns events() {
    return new SimpleColumns(List.of(
        Column.string("Last Seen", "Time since the event was last seen."),
        Column.string("Type", "Normal or Warning."),
        Column.string("Reason", "Short machine-readable reason."),
        Column.string("Object", "The object the event is about, as kind/name."),
        Column.wide("Subobject", "The part of the object, e.g. a container."),
        Column.wide("Source", "The component that reported the event."),
        Column.string("Message", "Human-readable description."),
        Column.wide("First Seen", "Time since the event was first seen."),
        Column.wide("Count", "How many times the event occurred."),
        new Column("Name", "string", "name", "Name of the event object.", 1)),
        ConfigColumns::eventCells);
  }

  private static List<Object> eventCells(JsonNode e, Instant now) {
    boolean v1 = text(e, "apiVersion").startsWith("events.k8s.io/") || e.has("regarding") || e.has("note");
    JsonNode target = v1 ? e.path("regarding") : e.path("involvedObject");
    String firstTs = text(e, v1 ? "deprecatedFirstTimestamp" : "firstTimestamp");
    String first = firstTs.isEmpty() ? Cells.since(text(e, "eventTime"), now) : Cells.since(firstTs, now);
    String lastTs = text(e, v1 ? "deprecatedLastTimestamp" : "lastTimestamp");
    String last = lastTs.isEmpty() ? first : Cells.since(lastTs, now);
    long count = Cells.num(e, 0, v1 ? "deprecatedCount" : "count");
    JsonNode series = e.path("series");
    if (series.isObject()) {
      last = Cells.since(text(series, "lastObservedTime"), now);
      count = Cells.num(series, 0, "count");
    } else if (count == 0) {
      count = 1;
    }
    String kind = text(target, "kind").toLowerCase(Locale.ROOT);
    String object = text(target, "name").isEmpty() ? kind : kind + "/" + text(target, "name");
    JsonNode source = e.path(v1 ? "deprecatedSource" : "source");
    String component = firstNonEmpty(text(source, "component"), text(e, "reportingController"));
    String host = firstNonEmpty(text(source, "host"), text(e, "reportingInstance"));
    String sourceText = component.isEmpty() ? "" : host.isEmpty() ? component : component + ", " + host;
    String message = text(e, v1 ? "note" : "message").trim();
    return List.of(last, text(e, "type"), text(e, "reason"), object, text(target, "fieldPath"), sourceText,
        message, first, count, name(e));
  }

  private static String firstNonEmpty(String a, String b) {
    return a.isEmpty() ? b : a;
  }
}
