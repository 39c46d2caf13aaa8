package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Resource quantities ("500m", "1Gi", "1e3"): parsing to exact decimal values for comparisons. */
final class Quantities {
  static final String FORMAT_ERROR =
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  private static final Pattern SHAPE = Pattern.compile("([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)");
  private static final Pattern NUMBER = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)");
  private static final Pattern EXPONENT = Pattern.compile("[eE]([-+]?[0-9]+)");
  private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
      Map.entry("", BigDecimal.ONE),
      Map.entry("n", new BigDecimal("1e-9")),
      Map.entry("u", new BigDecimal("1e-6")),
      Map.entry("m", new BigDecimal("1e-3")),
      Map.entry("k", new BigDecimal("1e3")),
      Map.entry("M", new BigDecimal("1e6")),
      Map.entry("G", new BigDecimal("1e9")),
      Map.entry("T", new BigDecimal("1e12")),
      Map.entry("P", new BigDecimal("1e15")),
      Map.entry("E", new BigDecimal("1e18")),
      Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
      Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
      Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
      Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
      Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
      Map.entry("Ei", BigDecimal.valueOf(1L << 60)));

  private Quantities() {}

  /** The value of a quantity given as a JSON string or number; null when it does not parse. */
  static BigDecimal parse(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isNumber()) {
      return node.decimalValue();
    }
    return node.isTextual() ? parse(node.asText()) : null;
  }

  static BigDecimal parse(String s) {
    Matcher m = SHAPE.matcher(s);
    if (!m.matches() || !NUMBER.matcher(m.group(1)).matches()) {
      return null;
    }
    BigDecimal number = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
    String suffix = m.group(2);
    BigDecimal scale = SUFFIXES.get(suffix);
    if (scale == null) {
      Matcher e = EXPONENT.matcher(suffix);
      if (!e.matches()) {
        return null;
      }
      try {
        return number.scaleByPowerOfTen(Integer.parseInt(e.group(1)));
      } catch (NumberFormatException | ArithmeticException ex) {
        return null;
      }
    }
    return number.multiply(scale);
  }

  /** The text of a quantity for messages: strings as given, numbers in plain notation. */
  static String display(JsonNode node) {
    return node.isNumber() ? node.decimalValue().stripTrailingZeros().toPlainString() : node.asText();
  }
}
