package io.capstan.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * The per-value keywords of kube-openapi's validator, with its messages: type (and nullable),
 * string length, pattern and format, numeric bounds and multipleOf, enum.
 */
final class ScalarChecks {
  private static final Set<String> STRING_FORMATS = Set.of("bsonobjectid", "uri", "email", "hostname", "ipv4",
      "ipv6", "cidr", "mac", "uuid", "uuid3", "uuid4", "uuid5", "isbn", "isbn10", "isbn13", "creditcard", "ssn",
      "hexcolor", "rgbcolor", "byte", "password", "date", "duration", "datetime", "k8s-short-name", "k8s-long-name");

  private ScalarChecks() {}

  /** The types a schema node accepts: its type, or integer and string for int-or-string. */
  static List<String> types(JsonNode s) {
    List<String> types = new ArrayList<>();
    String t = s.path("type").asText("");
    if (s.path("x-kubernetes-int-or-string").asBoolean(false)) {
      types.add("integer");
      types.add("string");
    } else if (!t.isEmpty()) {
      types.add(t);
    }
    return types;
  }

  /** The format left once unsupported ones are dropped, as upstream does before validating. */
  static String format(JsonNode s) {
    String f = s.path("format").asText("");
    if (f.isEmpty()) {
      return f;
    }
    List<String> types = types(s);
    String t = types.size() == 1 ? types.get(0) : "";
    return switch (t) {
      case "", "string" -> STRING_FORMATS.contains(f.replace("-", "")) || STRING_FORMATS.contains(f) ? f : "";
      case "integer" -> f.equals("int32") || f.equals("int64") ? f : "";
      case "number" -> f.equals("float") || f.equals("double") ? f : "";
      default -> "";
    };
  }

  /** Type (and nullable) of {@code v}, int-or-string counting as integer or string. */
  static void type(JsonNode v, JsonNode s, String name, Run r) {
    List<String> types = types(s);
    if (types.isEmpty()) {
      return;
    }
    String joined = String.join(",", types);
    if (v.isNull()) {
      if (!s.path("nullable").asBoolean(false)) {
        r.add(FieldError.invalid(r.field(name), "null", typeMessage(name, joined, "null")));
      }
      return;
    }
    String actual = SchemaFormats.typeOf(v);
    boolean numeric = types.contains("integer") || types.contains("number");
    if (!numeric && !format(s).isEmpty() && (v.isTextual() || v.isArray())) {
      return;
    }
    boolean floatInt = actual.equals("number") && types.contains("integer") && isIntegral(v);
    boolean intFloat = actual.equals("integer") && types.contains("number");
    if (!types.contains(actual) && !floatInt && !intFloat) {
      r.add(FieldError.invalid(r.field(name), actual, typeMessage(name, joined, actual)));
    }
  }

  static String typeMessage(String name, String type, String value) {
    return name + " in body must be of type " + type + ": " + Run.quote(value);
  }

  private static boolean isIntegral(JsonNode v) {
    try {
      return v.decimalValue().stripTrailingZeros().scale() <= 0;
    } catch (ArithmeticException | NumberFormatException e) {
      return false;
    }
  }

  /** maxLength, minLength, pattern (first failure only), then format. */
  static void string(String v, JsonNode s, String name, Run r) {
    long runes = v.codePointCount(0, v.length());
    if (s.has("maxLength") && runes > s.get("maxLength").asLong()) {
      long max = s.get("maxLength").asLong();
      r.add(new FieldError(FieldError.Type.TOO_LONG, r.field(name), null,
          "may not be more than " + max + (max == 1 ? " byte" : " bytes")));
    } else if (s.has("minLength") && runes < s.get("minLength").asLong()) {
      r.add(FieldError.invalid(r.field(name), v,
          name + " in body should be at least " + s.get("minLength").asLong() + " chars long"));
    } else if (!s.path("pattern").asText("").isEmpty()) {
      String pattern = s.get("pattern").asText();
      try {
        if (!SchemaFormats.regex(pattern).matcher(v).find()) {
          r.add(FieldError.invalid(r.field(name), v, name + " in body should match '" + pattern + "'"));
        }
      } catch (PatternSyntaxException e) {
        r.add(FieldError.invalid(r.field(name), v, name + " in body should match '" + pattern
            + ", but pattern is invalid: " + e.getDescription() + "'"));
      }
    }
    String format = format(s);
    if (!format.isEmpty() && !SchemaFormats.validString(format, v)) {
      r.add(FieldError.invalid(r.field(name), v, typeMessage(name, format, v)));
    }
  }

  /** int32 range, multipleOf, maximum, minimum of a number. */
  static void number(JsonNode v, JsonNode s, String name, Run r) {
    boolean integral = v.isIntegralNumber();
    Object bad = SchemaFormats.badValue(v);
    List<String> types = types(s);
    if (types.equals(List.of("integer")) && "int32".equals(format(s)) && integral
        && (!v.canConvertToInt())) {
      r.add(FieldError.invalid(Paths.orNil(r.prefix()), "",
          "Checked value must be of type integer with format int32 in " + name));
    }
    JsonNode multipleOf = s.get("multipleOf");
    if (multipleOf != null && multipleOf.isNumber()) {
      double factor = multipleOf.doubleValue();
      if (factor <= 0) {
        r.add(FieldError.invalid(r.field(name), SchemaFormats.badValue(multipleOf),
            "factor MultipleOf declared for " + name + " must be positive: " + SchemaFormats.goNumber(multipleOf)));
      } else if (integral && factor == Math.rint(factor)) {
        if (v.longValue() % (long) factor != 0) {
          r.add(FieldError.invalid(r.field(name), bad, name + " in body should be a multiple of " + (long) factor));
        }
      } else {
        double mult = factor < 1 ? 1 / factor * v.doubleValue() : v.doubleValue() / factor;
        if (mult != Math.rint(mult)) {
          r.add(FieldError.invalid(r.field(name), bad,
              name + " in body should be a multiple of " + SchemaFormats.goFloat(factor)));
        }
      }
    }
    bound(v, s, "maximum", "exclusiveMaximum", name, r);
    bound(v, s, "minimum", "exclusiveMinimum", name, r);
  }

  private static void bound(JsonNode v, JsonNode s, String key, String exclusiveKey, String name, Run r) {
    JsonNode limit = s.get(key);
    if (limit == null || !limit.isNumber()) {
      return;
    }
    boolean exclusive = s.path(exclusiveKey).asBoolean(false);
    boolean max = key.equals("maximum");
    int cmp;
    String shown;
    if (v.isIntegralNumber()) {
      long l = (long) limit.doubleValue();
      cmp = v.bigIntegerValue().compareTo(java.math.BigInteger.valueOf(l));
      shown = Long.toString(l);
    } else {
      cmp = Double.compare(v.doubleValue(), limit.doubleValue());
      shown = SchemaFormats.goFloat(limit.doubleValue());
    }
    boolean fails = max ? (exclusive ? cmp >= 0 : cmp > 0) : (exclusive ? cmp <= 0 : cmp < 0);
    if (fails) {
      String relation = max ? (exclusive ? "less than " : "less than or equal to ")
          : (exclusive ? "greater than " : "greater than or equal to ");
      r.add(FieldError.invalid(r.field(name), SchemaFormats.badValue(v), name + " in body should be " + relation + shown));
    }
  }

  /** {@code enum}: the value must equal one of the listed ones (numbers compared by value). */
  static void enumeration(JsonNode v, JsonNode s, String name, Run r) {
    JsonNode values = s.get("enum");
    if (values == null || !values.isArray() || values.isEmpty()) {
      return;
    }
    List<String> shown = new ArrayList<>();
    for (JsonNode e : values) {
      if (equal(v, e)) {
        return;
      }
      shown.add(e.isTextual() ? e.asText() : e.isNumber() ? SchemaFormats.jsonNumber(e) : e.toString());
    }
    r.add(FieldError.notSupported(r.field(name), SchemaFormats.badValue(v), shown));
  }

  /** JSON equality with numbers compared by value (1 equals 1.0). */
  static boolean equal(JsonNode a, JsonNode b) {
    return io.capstan.apiserver.json.Json.equalValues(a, b);
  }
}
