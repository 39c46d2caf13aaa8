package io.capstan.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.resources.CustomResource.PrinterColumn;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns of a custom resource, as upstream's CRD table convertor prints them: Name, then the
 * CRD version's {@code additionalPrinterColumns} in order (type, format and priority as declared),
 * each cell the first value its JSONPath selects; a CRD that declares no columns gets Name and Age
 * (a {@code date} column of {@code .metadata.creationTimestamp}), and one that declares columns
 * gets Age only if it declares it. A value that is missing, null or of the wrong type for the
 * column is a null cell, which kubectl prints as an empty cell. Immutable.
 */
final class CustomColumns implements KindColumns {
  /** The Age column upstream serves when a CRD version declares no printer columns. */
  static final PrinterColumn DEFAULT_AGE =
      new PrinterColumn("Age", "date", "", "Time since the object was created.", 0, ".metadata.creationTimestamp");

  private final List<Column> columns = new ArrayList<>();
  /** Per printer column: its path, or null when the path cannot be parsed (cells are then null). */
  private final List<JsonPath> paths = new ArrayList<>();

  CustomColumns(List<PrinterColumn> declared) {
    columns.add(Column.nameColumn());
    List<PrinterColumn> printed = declared == null || declared.isEmpty() ? List.of(DEFAULT_AGE) : declared;
    for (PrinterColumn c : printed) {
      String description = c.description() == null || c.description().isEmpty()
          ? "Custom resource definition column (in JSONPath format): " + c.jsonPath()
          : c.description();
      columns.add(new Column(c.name(), c.type(), c.format() == null ? "" : c.format(), description, c.priority()));
      JsonPath path;
      try {
        path = c.jsonPath() == null ? null : JsonPath.parse(c.jsonPath());
      } catch (IllegalArgumentException e) {
        path = null;
      }
      paths.add(path);
    }
  }

  @Override
  public List<Column> columns() {
    return columns;
  }

  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    List<Object> cells = new ArrayList<>(columns.size());
    cells.add(Cells.text(obj, "metadata", "name"));
    for (int i = 0; i < paths.size(); i++) {
      JsonPath path = paths.get(i);
      JsonNode value = path == null ? null : path.first(obj);
      cells.add(value == null || value.isNull() || value.isMissingNode() ? null
          : cell(columns.get(i + 1).type(), value, now));
    }
    return cells;
  }

  /** The cell of a non-null value in a column of {@code type}; null when the value does not fit the type. */
  static Object cell(String type, JsonNode value, Instant now) {
    switch (type == null ? "" : type) {
      case "string":
        if (value.isTextual()) {
          return value.asText();
        }
        if (value.isIntegralNumber()) {
          return value.bigIntegerValue().toString();
        }
        if (value.isNumber()) {
          return goFloat(value.doubleValue());
        }
        return value.toString(); // booleans as true/false, objects and arrays as compact JSON
      case "integer":
        return value.isNumber() ? (Object) value.asLong() : null;
      case "number":
        return value.isNumber() ? (Object) value.asDouble() : null;
      case "boolean":
        return value.isBoolean() ? (Object) value.asBoolean() : null;
      case "date":
        return value.isTextual() ? date(value.asText(), now) : null;
      default:
        return null;
    }
  }

  /** A timestamp as kubectl shows ages: "&lt;unknown&gt;" when empty, "&lt;invalid&gt;" when unparsable. */
  static String date(String timestamp, Instant now) {
    if (timestamp.isEmpty() || timestamp.equals("null")) {
      return Cells.UNKNOWN;
    }
    Instant t = Cells.time(timestamp);
    return t == null ? "<invalid>" : Cells.humanDuration(Duration.between(t, now));
  }

  /** A float64 the way Go's {@code %v} prints it: "1.5", "3", "1e+21", "1e-05". */
  static String goFloat(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return Double.isNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf";
    }
    if (d == 0) {
      return "0";
    }
    double abs = Math.abs(d);
    BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    if (abs >= 1e-4 && abs < 1e21) {
      return exact.toPlainString();
    }
    String digits = exact.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - exact.scale();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
        + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
  }
}
