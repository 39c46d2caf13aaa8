package io.capstan.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Helpers shared by the validators: Go-regexp patterns on java.util.regex, the string formats CRD
 * schemas can check, and values rendered the way Go's fmt and field.Error print them.
 */
final class SchemaFormats {
  private static final int CACHE_SIZE = 512;
  private static final Map<String, Pattern> PATTERNS = Collections.synchronizedMap(
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pattern> eldest) {
          return size() > CACHE_SIZE;
        }
      });
  private static final Pattern UUID = Pattern.compile(
      "(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$");
  private static final Pattern HOSTNAME = Pattern.compile(
      "^([a-zA-Z0-9\\p{S}\\p{L}]((-?[a-zA-Z0-9\\p{S}\\p{L}]{0,62})?)|([a-zA-Z0-9\\p{S}\\p{L}](([a-zA-Z0-9-\\p{S}\\p{L}]{0,61}[a-zA-Z0-9\\p{S}\\p{L}])?)(\\.)){1,}([a-zA-Z\\p{L}]){2,63})$");
  private static final Pattern IPV4 = Pattern.compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
  private static final Pattern MAC = Pattern.compile("^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$");

  private SchemaFormats() {}

  /**
   * A compiled pattern for a Go (RE2) regular expression: named groups {@code (?P<n>...)} and POSIX
   * classes {@code [[:alpha:]]} are rewritten; the rest of RE2 reads the same in Java.
   *
   * @throws java.util.regex.PatternSyntaxException when the expression is invalid
   */
  static Pattern regex(String goPattern) {
    Pattern p = PATTERNS.get(goPattern);
    if (p == null) {
      String java = goPattern.replace("(?P<", "(?<")
          .replace("[:alpha:]", "\\p{Alpha}").replace("[:digit:]", "\\p{Digit}")
          .replace("[:alnum:]", "\\p{Alnum}").replace("[:upper:]", "\\p{Upper}")
          .replace("[:lower:]", "\\p{Lower}").replace("[:space:]", "\\s")
          .replace("[:xdigit:]", "\\p{XDigit}").replace("[:punct:]", "\\p{Punct}")
          .replace("\\z", "$");
      p = Pattern.compile(java);
      PATTERNS.put(goPattern, p);
    }
    return p;
  }

  /**
   * Whether {@code value} has string format {@code format}; unknown formats pass (upstream drops
   * formats it does not support before validating).
   */
  static boolean validString(String format, String value) {
    switch (format.replace("-", "")) {
      case "datetime":
        try {
          OffsetDateTime.parse(value);
          return true;
        } catch (DateTimeParseException e) {
          return false;
        }
      case "date":
        try {
          LocalDate.parse(value);
          return true;
        } catch (DateTimeParseException e) {
          return false;
        }
      case "byte":
        try {
          Base64.getDecoder().decode(value);
          return true;
        } catch (IllegalArgumentException e) {
          return false;
        }
      case "uuid":
        return UUID.matcher(value).matches();
      case "ipv4":
        return IPV4.matcher(value).matches();
      case "ipv6":
        return value.contains(":") && value.matches("[0-9A-Fa-f:.]+") && validIpv6(value);
      case "hostname":
        return value.length() <= 255 && HOSTNAME.matcher(value).matches();
      case "mac":
        return MAC.matcher(value).matches();
      case "cidr":
        int slash = value.indexOf('/');
        if (slash < 0) {
          return false;
        }
        String ip = value.substring(0, slash);
        String bits = value.substring(slash + 1);
        boolean v4 = IPV4.matcher(ip).matches();
        if (!v4 && !validString("ipv6", ip) || !bits.matches("\\d{1,3}")) {
          return false;
        }
        return Integer.parseInt(bits) <= (v4 ? 32 : 128);
      default:
        return true;
    }
  }

  private static boolean validIpv6(String value) {
    try {
      return java.net.InetAddress.getByName(value) instanceof java.net.Inet6Address;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** A double as Go's %v prints a float64: shortest digits, exponent form below 1e-4 and from 1e6. */
  static String goFloat(double d) {
    return shortest(d, 6, -4, true);
  }

  /** A double as Go's encoding/json writes a float64: exponent form below 1e-6 and from 1e21. */
  static String jsonFloat(double d) {
    return shortest(d, 21, -6, false);
  }

  private static String shortest(double d, int maxExp, int minExp, boolean padExponent) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return Double.isNaN(d) ? "NaN" : (d > 0 ? "+Inf" : "-Inf");
    }
    if (d == 0) {
      return "0";
    }
    BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    int exp = bd.precision() - bd.scale() - 1;
    if (exp >= minExp && exp < maxExp) {
      return bd.toPlainString();
    }
    String digits = bd.unscaledValue().abs().toString();
    String m = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
    String e = padExponent ? String.format("%02d", Math.abs(exp)) : Integer.toString(Math.abs(exp));
    return (d < 0 ? "-" : "") + m + "e" + (exp < 0 ? "-" : "+") + e;
  }

  /** A JSON number as Go's %v prints the decoded value (int64 or float64). */
  static String goNumber(JsonNode n) {
    return n.isIntegralNumber() ? n.bigIntegerValue().toString() : goFloat(n.doubleValue());
  }

  /** A JSON number as Go's encoding/json re-encodes the decoded value. */
  static String jsonNumber(JsonNode n) {
    return n.isIntegralNumber() ? n.bigIntegerValue().toString() : jsonFloat(n.doubleValue());
  }

  /**
   * The value to put in a FieldError for {@code v}: Strings are quoted, numbers and booleans print
   * bare, objects and arrays print as JSON, as field.Error does.
   */
  static Object badValue(JsonNode v) {
    if (v == null || v.isNull()) {
      return com.fasterxml.jackson.databind.node.NullNode.getInstance();
    }
    if (v.isTextual()) {
      return v.asText();
    }
    if (v.isIntegralNumber()) {
      return v.canConvertToLong() ? (Object) v.longValue() : v.bigIntegerValue();
    }
    if (v.isNumber()) {
      return new GoFloat(v.doubleValue());
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    return v;
  }

  /** A float64 that prints as Go prints it. */
  record GoFloat(double value) {
    @Override
    public String toString() {
      return goFloat(value);
    }
  }

  /** The kube-openapi type name of a JSON value. */
  static String typeOf(JsonNode v) {
    if (v == null || v.isNull()) {
      return "null";
    }
    if (v.isTextual()) {
      return "string";
    }
    if (v.isIntegralNumber()) {
      return "integer";
    }
    if (v.isNumber()) {
      return "number";
    }
    if (v.isBoolean()) {
      return "boolean";
    }
    return v.isArray() ? "array" : "object";
  }
}
