package io.capstan.apiserver.registry.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class QuantitiesTest {
  private static void same(String expected, String quantity) {
    assertEquals(0, new BigDecimal(expected).compareTo(Quantities.parse(quantity)), quantity);
  }

  @Test
  void parsesSuffixes() {
    same("0.5", "500m");
    same("0.5", "0.5");
    same("1000", "1k");
    same("1073741824", "1Gi");
    same("1000000", "1e6");
    same("0.000000001", "1n");
    same("-2", "-2");
    same("2.5", "2.5");
  }

  @Test
  void rejectsMalformed() {
    assertNull(Quantities.parse("lots"));
    assertNull(Quantities.parse("1GB"));
    assertNull(Quantities.parse("1.2.3"));
    assertNull(Quantities.parse(""));
    assertNull(Quantities.parse("Gi"));
  }
}
