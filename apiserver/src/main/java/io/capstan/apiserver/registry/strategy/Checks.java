package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Small validation helpers shared by the kind strategies: the messages apimachinery uses for
 * numbers, ports and ranges, and the way non-string values are shown in field errors.
 */
final class Checks {
  static final String NON_NEGATIVE = "must be greater than or equal to 0";
  static final String IMMUTABLE = "field is immutable";
  static final String PORT_RANGE = "must be between 1 and 65535, inclusive";
  static final long MAX_INT32 = 2147483647L;
  private static final Pattern PORT_NAME_CHARS = Pattern.compile("[-a-z0-9]+");
  private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*");
  private static final Pattern IPV4 = Pattern.compile(
      "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

  private Checks() {}

  /** A bad value printed as is, without the quotes strings get (numbers, structs, int-or-string). */
  record Raw(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  static Raw raw(Object value) {
    return new Raw(String.valueOf(value));
  }

  /** A JSON value shown compactly, for structured bad values. */
  static Raw json(JsonNode node) {
    return new Raw(node == null || node.isMissingNode() ? "null" : node.toString());
  }

  /** A string map shown as Go prints one ({@code map[string]string{"a":"b"}}), keys sorted. */
  static Raw goMap(JsonNode map) {
    TreeMap<String, String> sorted = new TreeMap<>();
    if (map != null && map.isObject()) {
      map.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
    }
    StringBuilder sb = new StringBuilder("map[string]string{");
    boolean first = true;
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      sb.append(first ? "" : ", ").append('"').append(e.getKey()).append("\":\"").append(e.getValue()).append('"');
      first = false;
    }
    return new Raw(sb.append('}').toString());
  }

  /**
   * A reference to something that does not exist. FieldError has no "Not found" type yet, so this
   * is reported as an invalid value; the single place to switch once it has one.
   */
  static FieldError notFound(String field, String value) {
    return FieldError.invalid(field, value, "not found");
  }

  /**
   * The object at {@code parent.field}, created when unset. A value of another type is left alone
   * and a detached object returned, so defaults never fail on it and validation reports it.
   */
  static ObjectNode object(ObjectNode parent, String field) {
    JsonNode v = parent.get(field);
    if (v instanceof ObjectNode o) {
      return o;
    }
    if (!present(v)) {
      return parent.putObject(field);
    }
    return JsonNodeFactory.instance.objectNode();
  }

  static boolean present(JsonNode node) {
    return node != null && !node.isNull() && !node.isMissingNode();
  }

  static boolean isInt(JsonNode node) {
    return present(node) && node.isIntegralNumber();
  }

  /** A string field's value, "" when absent or null. */
  static String text(JsonNode parent, String field) {
    JsonNode v = parent == null ? null : parent.get(field);
    return present(v) ? v.asText() : "";
  }

  /** Errors when an optional integer field is negative (or not an integer). */
  static void nonNegative(JsonNode parent, String field, String path, List<FieldError> errs) {
    JsonNode v = parent.get(field);
    if (!present(v)) {
      return;
    }
    if (!v.isIntegralNumber()) {
      errs.add(FieldError.invalid(path, v.asText(), "must be an integer"));
    } else if (v.asLong() < 0) {
      errs.add(FieldError.invalid(path, v.asLong(), NON_NEGATIVE));
    }
  }

  static String rangeError(long lo, long hi) {
    return "must be between " + lo + " and " + hi + ", inclusive";
  }

  static boolean validPort(long port) {
    return port >= 1 && port <= 65535;
  }

  /** apimachinery's IsValidPortName: an IANA_SVC_NAME of up to 15 characters. */
  static List<String> portNameErrors(String name) {
    List<String> msgs = new ArrayList<>();
    if (name.length() > 15) {
      msgs.add("must be no more than 15 characters");
    }
    if (!PORT_NAME_CHARS.matcher(name).matches()) {
      msgs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if (!HAS_LETTER.matcher(name).matches()) {
      msgs.add("must contain at least one letter (a-z)");
    }
    if (name.contains("--")) {
      msgs.add("must not contain consecutive hyphens (--)");
    }
    if (!name.isEmpty() && (name.startsWith("-") || name.endsWith("-"))) {
      msgs.add("must not begin or end with a hyphen (-)");
    }
    return msgs;
  }

  /** A port given as a number (1-65535) or a name (IANA_SVC_NAME), as ValidatePortNumOrName. */
  static void portNumOrName(JsonNode port, String path, List<FieldError> errs) {
    if (!present(port)) {
      errs.add(FieldError.invalid(path, 0L, PORT_RANGE));
    } else if (port.isIntegralNumber()) {
      if (!validPort(port.asLong())) {
        errs.add(FieldError.invalid(path, port.asLong(), PORT_RANGE));
      }
    } else if (port.isTextual()) {
      portNameErrors(port.asText()).forEach(m -> errs.add(FieldError.invalid(path, port.asText(), m)));
    } else {
      errs.add(FieldError.invalid(path, json(port), "must be an integer or a port name"));
    }
  }

  /** Whether {@code s} is an IPv4 or IPv6 address literal (no name resolution). */
  static boolean isIp(String s) {
    if (IPV4.matcher(s).matches()) {
      return true;
    }
    if (!s.contains(":") || !IPV6_CHARS.matcher(s).matches()) {
      return false;
    }
    try {
      return java.net.InetAddress.getByName(s) instanceof java.net.Inet6Address;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  static String ipError() {
    return "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
  }

  /** The keys of a JSON object, in document order. */
  static List<String> keys(JsonNode obj) {
    List<String> out = new ArrayList<>();
    if (obj != null && obj.isObject()) {
      for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
        out.add(it.next());
      }
    }
    return out;
  }
}
