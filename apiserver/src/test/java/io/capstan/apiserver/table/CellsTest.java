package io.capstan.apiserver.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CellsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void humanDurationLikeKubectl() {
    assertEquals("0s", age(Duration.ZERO));
    assertEquals("5s", age(Duration.ofSeconds(5)));
    assertEquals("0s", age(Duration.ofMillis(-900)), "tolerates slight clock skew");
    assertEquals("<invalid>", age(Duration.ofSeconds(-5)));
    assertEquals("119s", age(Duration.ofSeconds(119)));
    assertEquals("2m", age(Duration.ofSeconds(120)));
    assertEquals("3m20s", age(Duration.ofSeconds(200)));
    assertEquals("9m59s", age(Duration.ofSeconds(599)));
    assertEquals("10m", age(Duration.ofMinutes(10).plusSeconds(30)));
    assertEquals("179m", age(Duration.ofMinutes(179)));
    assertEquals("3h", age(Duration.ofHours(3)));
    assertEquals("5h30m", age(Duration.ofMinutes(330)));
    assertEquals("20h", age(Duration.ofHours(20).plusMinutes(15)));
    assertEquals("47h", age(Duration.ofHours(47)));
    assertEquals("2d", age(Duration.ofHours(48)));
    assertEquals("2d3h", age(Duration.ofHours(51)));
    assertEquals("7d23h", age(Duration.ofHours(191)));
    assertEquals("8d", age(Duration.ofDays(8)));
    assertEquals("729d", age(Duration.ofDays(729)));
    assertEquals("2y", age(Duration.ofDays(730)));
    assertEquals("2y30d", age(Duration.ofDays(760)));
    assertEquals("8y", age(Duration.ofDays(365 * 8 + 3)));
  }

  @Test
  void sinceHandlesMissingAndFractionalTimestamps() {
    Instant now = Instant.parse("2025-01-01T00:10:00Z");
    assertEquals("10m", Cells.since("2025-01-01T00:00:00Z", now));
    assertEquals("5m", Cells.since("2025-01-01T00:04:59.500000Z", now));
    assertEquals("4m59s", Cells.since("2025-01-01T00:05:00.123456Z", now));
    assertEquals("<unknown>", Cells.since("", now));
    assertEquals("<unknown>", Cells.since("not a time", now));
  }

  @Test
  void labelSelectorsAndLabels() throws Exception {
    var selector = MAPPER.readTree("""
        {"matchLabels":{"tier":"web","app":"shop"},
         "matchExpressions":[{"key":"env","operator":"In","values":["prod","dev"]},
                             {"key":"legacy","operator":"DoesNotExist"},
                             {"key":"zone","operator":"NotIn","values":["b"]},
                             {"key":"canary","operator":"Exists"}]}""");
    assertEquals("app=shop,canary,env in (dev,prod),!legacy,tier=web,zone notin (b)", Cells.selector(selector));
    assertEquals("", Cells.selector(MAPPER.readTree("{}")));
    assertEquals("a=1,b=2", Cells.formatLabels(MAPPER.readTree("{\"b\":\"2\",\"a\":\"1\"}")));
    assertEquals("<none>", Cells.formatLabels(MAPPER.readTree("{}")));
    assertEquals("<none>", Cells.formatLabels(null));
  }

  private static String age(Duration d) {
    return Cells.humanDuration(d);
  }
}
