package io.capstan.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Shared cell formatting, following what kubectl prints for a real cluster. */
public final class Cells {
  /** What kubectl prints for an empty value. */
  public static final String NONE = "<none>";
  /** What kubectl prints for a missing timestamp. */
  public static final String UNKNOWN = "<unknown>";

  private Cells() {}

  /** The node at a path of field names, or a missing node. */
  static JsonNode at(JsonNode node, String... path) {
    JsonNode n = node == null ? MissingNode.getInstance() : node;
    for (String p : path) {
      n = n.path(p);
    }
    return n;
  }

  /** Text at a path, or "" when absent, null or not a scalar. */
  static String text(JsonNode node, String... path) {
    JsonNode n = at(node, path);
    return n.isMissingNode() || n.isNull() || n.isContainerNode() ? "" : n.asText();
  }

  /** Integer at a path, or {@code dflt} when absent. */
  static long num(JsonNode node, long dflt, String... path) {
    JsonNode n = at(node, path);
    return n.isNumber() ? n.asLong() : n.isTextual() ? parse(n.asText(), dflt) : dflt;
  }

  static boolean bool(JsonNode node, String... path) {
    JsonNode n = at(node, path);
    return n.asBoolean(false);
  }

  /** {@code value}, or {@code <none>} when empty. */
  static String orNone(String value) {
    return value == null || value.isEmpty() ? NONE : value;
  }

  /** Text items of an array node (missing → empty). */
  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  /** Parses an RFC 3339 timestamp (with or without fractional seconds); null when absent or invalid. */
  static Instant time(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** kubectl's age of a timestamp: {@link #humanDuration} since then, or {@code <unknown>}. */
  static String since(String timestamp, Instant now) {
    Instant t = time(timestamp);
    return t == null ? UNKNOWN : humanDuration(Duration.between(t, now));
  }

  /**
   * A duration the way kubectl prints ages: "45s", "5m3s", "42m", "5h3m", "20h", "3d4h", "40d",
   * "2y30d", "9y". Up to one second in the future counts as "0s"; more is "&lt;invalid&gt;".
   */
  public static String humanDuration(Duration d) {
    long seconds = d.toMillis() / 1000; // truncates toward zero, like Go's int(d.Seconds())
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    } else if (minutes < 60 * 3) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    } else if (hours < 48) {
      return hours + "h";
    } else if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
    } else if (hours < 24 * 365 * 2) {
      return hours / 24 + "d";
    } else if (hours < 24 * 365 * 8) {
      long dy = (hours / 24) % 365;
      return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
    }
    return hours / 24 / 365 + "y";
  }

  /** Labels as "k=v,k2=v2" sorted by key, or {@code <none>}. */
  static String formatLabels(JsonNode labels) {
    Map<String, String> sorted = new TreeMap<>();
    if (labels != null && labels.isObject()) {
      labels.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asText()));
    }
    if (sorted.isEmpty()) {
      return NONE;
    }
    List<String> parts = new ArrayList<>();
    sorted.forEach((k, v) -> parts.add(k + "=" + v));
    return String.join(",", parts);
  }

  /**
   * A LabelSelector ({@code matchLabels} + {@code matchExpressions}) in label-selector syntax,
   * requirements sorted by key: "app=web,tier in (a,b),!legacy". Empty or absent → "".
   */
  static String selector(JsonNode selector) {
    record Req(String key, String text) {}
    List<Req> reqs = new ArrayList<>();
    if (selector == null || !selector.isObject()) {
      return "";
    }
    selector.path("matchLabels").properties()
        .forEach(e -> reqs.add(new Req(e.getKey(), e.getKey() + "=" + e.getValue().asText())));
    for (JsonNode expr : selector.path("matchExpressions")) {
      String key = expr.path("key").asText();
      List<String> values = strings(expr.get("values")).stream().sorted().toList();
      String op = expr.path("operator").asText();
      String text = switch (op) {
        case "In" -> key + " in (" + String.join(",", values) + ")";
        case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
        case "Exists" -> key;
        case "DoesNotExist" -> "!" + key;
        default -> key + " " + op + " (" + String.join(",", values) + ")";
      };
      reqs.add(new Req(key, text));
    }
    return String.join(",", reqs.stream().sorted(Comparator.comparing(Req::key)).map(Req::text).toList());
  }

  /** Container names and images of a pod spec, each joined with ",". */
  static String[] containersAndImages(JsonNode podSpec) {
    List<String> names = new ArrayList<>();
    List<String> images = new ArrayList<>();
    for (JsonNode c : at(podSpec, "containers")) {
      names.add(c.path("name").asText());
      images.add(c.path("image").asText());
    }
    return new String[] {String.join(",", names), String.join(",", images)};
  }

  private static long parse(String s, long dflt) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return dflt;
    }
  }
}
