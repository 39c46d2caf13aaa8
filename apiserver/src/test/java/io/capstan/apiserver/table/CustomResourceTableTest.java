package io.capstan.apiserver.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.resources.CustomResource;
import io.capstan.apiserver.resources.CustomResource.PrinterColumn;
import io.capstan.apiserver.resources.ResourceCatalog;
import io.capstan.apiserver.resources.ResourceType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tables of custom resources: Name plus the CRD's additionalPrinterColumns, as upstream prints them. */
class CustomResourceTableTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private final TablePrinter printer = new TablePrinter(Clock.fixed(NOW, ZoneOffset.UTC));
  private final ResourceCatalog catalog = ResourceCatalog.builtin();

  private static final List<PrinterColumn> CRONTAB_COLUMNS = List.of(
      new PrinterColumn("Spec", "string", "", "", 0, ".spec.cronSpec"),
      new PrinterColumn("Replicas", "integer", "", "", 0, ".spec.replicas"),
      new PrinterColumn("Age", "date", "", "", 0, ".metadata.creationTimestamp"));

  private ResourceType cronTab(List<PrinterColumn> columns) {
    ResourceType t = new ResourceType("stable.example.com", "v1", "CronTab", "crontabs", "crontab", true,
        List.of("ct"), List.of("all"), Set.of("status", "scale"), "stable.example.com/crontabs", null, true,
        new CustomResource(null, "v1", ".spec.replicas", ".status.replicas", ".status.labelSelector", columns));
    catalog.replaceGroupResource("stable.example.com", "crontabs", List.of(t));
    return catalog.find("stable.example.com", "v1", "crontabs").orElseThrow();
  }

  private static ObjectNode cron(String name, String spec) throws Exception {
    return (ObjectNode) MAPPER.readTree("""
        {"apiVersion":"stable.example.com/v1","kind":"CronTab",
         "metadata":{"name":"%s","namespace":"default","creationTimestamp":"2025-03-01T11:56:40Z",
           "labels":{"app":"cron","app.kubernetes.io/name":"nightly"}},
         "spec":%s}""".formatted(name, spec));
  }

  @Test
  void declaredColumnsFollowNameWithTypesAndAgeAsDeclared() throws Exception {
    ObjectNode table = printer.table(cronTab(CRONTAB_COLUMNS), List.of(
        cron("a", "{\"cronSpec\":\"*/5 * * * *\",\"image\":\"busybox\",\"replicas\":3}"),
        cron("b", "{\"image\":\"busybox\"}")), true, "7", null);
    JsonNode defs = table.get("columnDefinitions");
    assertEquals(List.of("Name", "Spec", "Replicas", "Age"), texts(defs.findValues("name")));
    assertEquals(List.of("string", "string", "integer", "date"), texts(defs.findValues("type")));
    assertEquals("name", defs.get(0).get("format").asText());
    assertEquals("", defs.get(1).get("format").asText());
    assertEquals("Custom resource definition column (in JSONPath format): .spec.cronSpec",
        defs.get(1).get("description").asText());

    JsonNode a = table.get("rows").get(0).get("cells");
    assertEquals("a", a.get(0).asText());
    assertEquals("*/5 * * * *", a.get(1).asText());
    assertTrue(a.get(2).isIntegralNumber());
    assertEquals(3, a.get(2).asLong());
    assertEquals("3m20s", a.get(3).asText(), "a date column prints the age, like kubectl's AGE");
    JsonNode b = table.get("rows").get(1).get("cells");
    assertTrue(b.get(1).isNull(), "missing values are null cells, which kubectl prints empty");
    assertTrue(b.get(2).isNull());
    JsonNode object = table.get("rows").get(0).get("object");
    assertEquals("PartialObjectMetadata", object.get("kind").asText());
    assertEquals("default", object.get("metadata").get("namespace").asText());
  }

  @Test
  void withoutDeclaredColumnsNameAndAge() throws Exception {
    ObjectNode table = printer.table(cronTab(List.of()), List.of(cron("a", "{}")), true, null, null);
    assertEquals(List.of("Name", "Age"), texts(table.get("columnDefinitions").findValues("name")));
    assertEquals("date", table.get("columnDefinitions").get(1).get("type").asText());
    assertEquals(List.of("a", "3m20s"), texts(table.get("rows").get(0).get("cells")));
  }

  @Test
  void declaredColumnsWithoutAgeHaveNoAgeAndKeepPriorities() throws Exception {
    List<PrinterColumn> columns = List.of(
        new PrinterColumn("Image", "string", "", "The image.", 1, ".spec.image"),
        new PrinterColumn("App", "string", "", "", 0, ".metadata.labels['app.kubernetes.io/name']"));
    ObjectNode table = printer.table(cronTab(columns), List.of(cron("a", "{\"image\":\"busybox\"}")), true, null, null);
    JsonNode defs = table.get("columnDefinitions");
    assertEquals(List.of("Name", "Image", "App"), texts(defs.findValues("name")));
    assertEquals(List.of(0, 1, 0), ints(defs.findValues("priority")));
    assertEquals("The image.", defs.get(1).get("description").asText());
    assertEquals(List.of("a", "busybox", "nightly"), texts(table.get("rows").get(0).get("cells")));
  }

  @Test
  void cellsConvertLikeUpstream() throws Exception {
    JsonNode v = MAPPER.readTree("""
        {"n":3,"f":2.5,"s":"x","t":true,"o":{"a":1},"l":[1,2],"ts":"2025-03-01T09:59:59.5Z","bad":"yesterday"}""");
    assertEquals(3L, CustomColumns.cell("integer", v.get("n"), NOW));
    assertEquals(2L, CustomColumns.cell("integer", v.get("f"), NOW), "float64 truncates to int64");
    assertNull(CustomColumns.cell("integer", v.get("s"), NOW));
    assertEquals(2.5, CustomColumns.cell("number", v.get("f"), NOW));
    assertEquals(3.0, CustomColumns.cell("number", v.get("n"), NOW));
    assertEquals(true, CustomColumns.cell("boolean", v.get("t"), NOW));
    assertNull(CustomColumns.cell("boolean", v.get("s"), NOW));
    assertEquals("3", CustomColumns.cell("string", v.get("n"), NOW));
    assertEquals("2.5", CustomColumns.cell("string", v.get("f"), NOW));
    assertEquals("true", CustomColumns.cell("string", v.get("t"), NOW));
    assertEquals("{\"a\":1}", CustomColumns.cell("string", v.get("o"), NOW));
    assertEquals("[1,2]", CustomColumns.cell("string", v.get("l"), NOW));
    assertEquals("120m", CustomColumns.cell("date", v.get("ts"), NOW));
    assertEquals("<invalid>", CustomColumns.cell("date", v.get("bad"), NOW));
    assertEquals("<unknown>", CustomColumns.cell("date", MAPPER.readTree("\"\""), NOW));
    assertNull(CustomColumns.cell("date", v.get("n"), NOW));
    assertEquals("1.5", CustomColumns.goFloat(1.5));
    assertEquals("2", CustomColumns.goFloat(2.0));
    assertEquals("123456789", CustomColumns.goFloat(123456789.0));
    assertEquals("1e+21", CustomColumns.goFloat(1e21));
    assertEquals("1e-05", CustomColumns.goFloat(0.00001));
    assertEquals("-2.5e-07", CustomColumns.goFloat(-2.5e-7));
  }

  @Test
  void jsonPathSubsetUsedByPrinterColumns() throws Exception {
    JsonNode obj = MAPPER.readTree("""
        {"metadata":{"name":"x","labels":{"app":"web","app.kubernetes.io/name":"nightly"}},
         "spec":{"items":[{"name":"first"},{"name":"second"}],"nullable":null},
         "status":{"conditions":[{"type":"Synced","status":"False"},{"type":"Ready","status":"True","n":2}]}}""");
    assertEquals("web", path(".metadata.labels.app", obj));
    assertEquals("web", path("{.metadata.labels.app}", obj));
    assertEquals("web", path("$.metadata.labels.app", obj));
    assertEquals("nightly", path(".metadata.labels['app.kubernetes.io/name']", obj));
    assertEquals("nightly", path(".metadata.labels[\"app.kubernetes.io/name\"]", obj));
    assertEquals("nightly", path(".metadata.labels.app\\.kubernetes\\.io/name", obj));
    assertEquals("first", path(".spec.items[0].name", obj));
    assertEquals("second", path(".spec.items[-1].name", obj));
    assertEquals("first", path(".spec.items[*].name", obj));
    assertEquals("True", path(".status.conditions[?(@.type==\"Ready\")].status", obj));
    assertEquals("True", path(".status.conditions[?(@.type=='Ready')].status", obj));
    assertEquals("Synced", path(".status.conditions[?(@.status!=\"True\")].type", obj));
    assertEquals("Ready", path(".status.conditions[?(@.n)].type", obj));
    assertEquals("Ready", path(".status.conditions[?(@.n>=2)].type", obj));
    assertNull(JsonPath.parse(".spec.items[5].name").first(obj));
    assertNull(JsonPath.parse(".spec.missing.deeper").first(obj));
    assertNull(JsonPath.parse(".spec.items.name").first(obj), "a field of an array selects nothing");
    assertTrue(JsonPath.parse(".spec.nullable").first(obj).isNull());
    assertEquals(2, JsonPath.parse(".spec.items[*]").find(obj).size());
    assertThrows(IllegalArgumentException.class, () -> JsonPath.parse(".spec.items[1:2]"));
    assertThrows(IllegalArgumentException.class, () -> JsonPath.parse(".spec..name"));

    // a column whose path cannot be parsed prints empty cells rather than failing the table
    List<PrinterColumn> bad = List.of(new PrinterColumn("Bad", "string", "", "", 0, ".spec[1:2"));
    ObjectNode table = printer.table(cronTab(bad), List.of(cron("a", "{}")), true, null, null);
    assertTrue(table.get("rows").get(0).get("cells").get(1).isNull());
  }

  @Test
  void watchEventsOmitColumnDefinitionsButKeepCells() throws Exception {
    ObjectNode table = printer.table(cronTab(CRONTAB_COLUMNS), List.of(cron("a", "{\"replicas\":1}")), false, null,
        null);
    assertTrue(!table.has("columnDefinitions"));
    assertEquals(4, table.get("rows").get(0).get("cells").size());
    assertEquals(4, printer.columnDefinitions(cronTab(CRONTAB_COLUMNS)).size());
  }

  private static String path(String expression, JsonNode obj) {
    JsonNode n = JsonPath.parse(expression).first(obj);
    return n == null ? null : n.asText();
  }

  private static List<String> texts(Iterable<JsonNode> nodes) {
    List<String> out = new ArrayList<>();
    nodes.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<Integer> ints(Iterable<JsonNode> nodes) {
    List<Integer> out = new ArrayList<>();
    nodes.forEach(n -> out.add(n.asInt()));
    return out;
  }
}
