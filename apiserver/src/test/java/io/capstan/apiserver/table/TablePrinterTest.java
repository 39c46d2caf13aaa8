package io.capstan.apiserver.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.resources.ResourceCatalog;
import io.capstan.apiserver.resources.ResourceType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablePrinterTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private final TablePrinter printer = new TablePrinter(Clock.fixed(NOW, ZoneOffset.UTC));
  private final ResourceCatalog catalog = ResourceCatalog.builtin();

  @Test
  void podColumnsAndCells() throws Exception {
    ObjectNode pod = json("""
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"web-1","namespace":"default","uid":"u1","creationTimestamp":"2025-03-01T11:56:40Z"},
         "spec":{"nodeName":"node-a","containers":[{"name":"app","image":"nginx"},{"name":"log","image":"busybox"}]},
         "status":{"phase":"Running","podIPs":[{"ip":"10.0.0.5"}],"podIP":"10.0.0.5",
           "conditions":[{"type":"Ready","status":"False"}],
           "containerStatuses":[
             {"name":"app","ready":true,"restartCount":2,"state":{"running":{"startedAt":"2025-03-01T11:57:00Z"}},
              "lastState":{"terminated":{"exitCode":1,"finishedAt":"2025-03-01T11:55:00Z"}}},
             {"name":"log","ready":false,"restartCount":0,"state":{"running":{}}}]}}""");
    ObjectNode table = printer.table(type("", "pods"), List.of(pod), true, "42", null);
    assertEquals("Table", table.get("kind").asText());
    assertEquals("meta.k8s.io/v1", table.get("apiVersion").asText());
    assertEquals("42", table.get("metadata").get("resourceVersion").asText());
    assertFalse(table.get("metadata").has("continue"));
    assertEquals(List.of("Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node",
        "Readiness Gates"), columnNames(table));
    assertEquals(List.of(0, 0, 0, 0, 0, 1, 1, 1, 1), priorities(table));
    assertEquals("name", table.get("columnDefinitions").get(0).get("format").asText());
    assertEquals(List.of("web-1", "1/2", "Running", "2 (5m ago)", "3m20s", "10.0.0.5", "node-a", "<none>", "<none>"),
        cells(table, 0));
    JsonNode object = table.get("rows").get(0).get("object");
    assertEquals("PartialObjectMetadata", object.get("kind").asText());
    assertEquals("meta.k8s.io/v1", object.get("apiVersion").asText());
    assertEquals("default", object.get("metadata").get("namespace").asText());
    assertEquals("u1", object.get("metadata").get("uid").asText());
  }

  @Test
  void podStatusReasons() throws Exception {
    ResourceType pods = type("", "pods");
    ObjectNode waiting = json("""
        {"metadata":{"name":"p"},"spec":{"containers":[{"name":"a"}]},
         "status":{"phase":"Running","containerStatuses":[{"name":"a","state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}}""");
    assertEquals("CrashLoopBackOff", cells(printer.table(pods, List.of(waiting), true, null, null), 0).get(2));

    ObjectNode terminating = json("""
        {"metadata":{"name":"p","deletionTimestamp":"2025-03-01T11:59:00Z"},"spec":{"containers":[{"name":"a"}]},
         "status":{"phase":"Running"}}""");
    assertEquals("Terminating", cells(printer.table(pods, List.of(terminating), true, null, null), 0).get(2));

    ObjectNode init = json("""
        {"metadata":{"name":"p"},"spec":{"initContainers":[{"name":"i1"},{"name":"i2"}],"containers":[{"name":"a"}]},
         "status":{"phase":"Pending","initContainerStatuses":[
           {"name":"i1","state":{"terminated":{"exitCode":0}}},{"name":"i2","state":{"running":{}}}]}}""");
    assertEquals("Init:1/2", cells(printer.table(pods, List.of(init), true, null, null), 0).get(2));

    ObjectNode pending = json("""
        {"metadata":{"name":"p"},"spec":{"containers":[{"name":"a"}],"readinessGates":[{"conditionType":"x/ok"}]},
         "status":{"phase":"Pending","conditions":[{"type":"x/ok","status":"True"}]}}""");
    List<Object> cells = cells(printer.table(pods, List.of(pending), true, null, null), 0);
    assertEquals("Pending", cells.get(2));
    assertEquals("0/1", cells.get(1));
    assertEquals("0", cells.get(3));
    assertEquals("<unknown>", cells.get(4));
    assertEquals("1/1", cells.get(8));

    ObjectNode done = json("""
        {"metadata":{"name":"p"},"spec":{"containers":[{"name":"a"}]},
         "status":{"phase":"Succeeded","containerStatuses":[{"name":"a","state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}}""");
    ObjectNode t = printer.table(pods, List.of(done), true, null, null);
    assertEquals("Completed", cells(t, 0).get(2));
    assertEquals("Completed", t.get("rows").get(0).get("conditions").get(0).get("type").asText());
  }

  @Test
  void deploymentColumnsAndCells() throws Exception {
    ObjectNode deploy = json("""
        {"metadata":{"name":"web","namespace":"default","creationTimestamp":"2025-02-27T09:00:00Z"},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
           "template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"},{"name":"side","image":"busybox"}]}}},
         "status":{"replicas":3,"readyReplicas":2,"updatedReplicas":3,"availableReplicas":2}}""");
    ObjectNode table = printer.table(type("apps", "deployments"), List.of(deploy), true, "7", "next");
    assertEquals(List.of("Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"),
        columnNames(table));
    assertEquals(List.of(0, 0, 0, 0, 0, 1, 1, 1), priorities(table));
    assertEquals(List.of("web", "2/3", 3L, 2L, "2d3h", "nginx,side", "nginx:1.27,busybox", "app=web"), cells(table, 0));
    assertEquals("next", table.get("metadata").get("continue").asText());
    assertEquals("integer", table.get("columnDefinitions").get(2).get("type").asText());
  }

  @Test
  void serviceWithNodePort() throws Exception {
    ObjectNode svc = json("""
        {"metadata":{"name":"web","creationTimestamp":"2025-03-01T11:59:15Z"},
         "spec":{"type":"NodePort","clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],"selector":{"app":"web"},
           "ports":[{"port":80,"nodePort":30080,"protocol":"TCP"},{"port":443,"protocol":"TCP"}]}}""");
    ObjectNode table = printer.table(type("", "services"), List.of(svc), true, null, null);
    assertEquals(List.of("Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"), columnNames(table));
    assertEquals(List.of(0, 0, 0, 0, 0, 0, 1), priorities(table));
    assertEquals(List.of("web", "NodePort", "10.96.0.10", "<none>", "80:30080/TCP,443/TCP", "45s", "app=web"),
        cells(table, 0));

    ObjectNode lb = json("""
        {"metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","clusterIP":"10.96.0.11","ports":[{"port":53,"protocol":"UDP"}]},
         "status":{"loadBalancer":{}}}""");
    List<Object> c = cells(printer.table(type("", "services"), List.of(lb), true, null, null), 0);
    assertEquals("<pending>", c.get(3));
    assertEquals("53/UDP", c.get(4));
    assertEquals("<none>", c.get(6));
  }

  @Test
  void secretAndConfigMap() throws Exception {
    ObjectNode secret = json("""
        {"metadata":{"name":"creds","creationTimestamp":"2025-03-01T09:00:00Z"},
         "type":"kubernetes.io/basic-auth","data":{"username":"YQ==","password":"Yg=="}}""");
    ObjectNode table = printer.table(type("", "secrets"), List.of(secret), true, null, null);
    assertEquals(List.of("Name", "Type", "Data", "Age"), columnNames(table));
    assertEquals(List.of("creds", "kubernetes.io/basic-auth", 2L, "3h"), cells(table, 0));
    ObjectNode cm = json("{\"metadata\":{\"name\":\"cfg\"},\"data\":{\"a\":\"1\"},\"binaryData\":{\"b\":\"AA==\"}}");
    assertEquals(List.of("cfg", 2L, "<unknown>"), cells(printer.table(type("", "configmaps"), List.of(cm), true, null, null), 0));
  }

  @Test
  void otherKindsAndEvents() throws Exception {
    ObjectNode node = json("""
        {"metadata":{"name":"n1","labels":{"node-role.kubernetes.io/control-plane":""},"creationTimestamp":"2025-03-01T11:00:00Z"},
         "spec":{"unschedulable":true},
         "status":{"conditions":[{"type":"Ready","status":"True"}],"addresses":[{"type":"InternalIP","address":"192.168.1.2"}],
           "nodeInfo":{"kubeletVersion":"v1.32.4","osImage":"Debian"}}}""");
    assertEquals(List.of("n1", "Ready,SchedulingDisabled", "control-plane", "60m", "v1.32.4", "192.168.1.2", "<none>",
        "Debian", "<unknown>", "<unknown>"), cells(printer.table(type("", "nodes"), List.of(node), true, null, null), 0));

    ObjectNode event = json("""
        {"metadata":{"name":"web-1.abc","namespace":"default"},"involvedObject":{"kind":"Pod","name":"web-1"},
         "reason":"Scheduled","type":"Normal","message":"assigned","count":1,
         "firstTimestamp":"2025-03-01T11:59:50Z","lastTimestamp":"2025-03-01T11:59:50Z","source":{"component":"scheduler"}}""");
    ObjectNode t = printer.table(type("", "events"), List.of(event), true, null, null);
    assertEquals(List.of("Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen",
        "Count", "Name"), columnNames(t));
    assertEquals(List.of("10s", "Normal", "Scheduled", "pod/web-1", "", "scheduler", "assigned", "10s", 1L,
        "web-1.abc"), cells(t, 0));

    ObjectNode ns = json("{\"metadata\":{\"name\":\"dev\"},\"status\":{\"phase\":\"Active\"}}");
    assertEquals(List.of("dev", "Active", "<unknown>"), cells(printer.table(type("", "namespaces"), List.of(ns), true, null, null), 0));

    ObjectNode job = json("""
        {"metadata":{"name":"pi"},"spec":{"completions":1,"template":{"spec":{"containers":[{"name":"pi","image":"perl"}]}}},
         "status":{"succeeded":1,"startTime":"2025-03-01T11:00:00Z","completionTime":"2025-03-01T11:00:42Z",
           "conditions":[{"type":"Complete","status":"True"}]}}""");
    List<Object> jc = cells(printer.table(type("batch", "jobs"), List.of(job), true, null, null), 0);
    assertEquals(List.of("pi", "Complete", "1/1", "42s"), jc.subList(0, 4));
  }

  @Test
  void kindsWithoutColumnsGetNameAndCreatedAt() throws Exception {
    ResourceType custom = new ResourceType("example.com", "v1", "Widget", "widgets", "widget", true, List.of(),
        List.of(), java.util.Set.of(), "widgets", null, false);
    ObjectNode w = json("{\"metadata\":{\"name\":\"w\",\"creationTimestamp\":\"2025-01-01T00:00:00Z\"}}");
    ObjectNode table = printer.table(custom, List.of(w), true, null, null);
    assertEquals(List.of("Name", "Created At"), columnNames(table));
    assertEquals("date", table.get("columnDefinitions").get(1).get("type").asText());
    assertEquals(List.of("w", "2025-01-01T00:00:00Z"), cells(table, 0));
  }

  @Test
  void watchEventsAfterTheFirstOmitColumnDefinitions() throws Exception {
    ObjectNode cm = json("{\"metadata\":{\"name\":\"cfg\"}}");
    ObjectNode table = printer.table(type("", "configmaps"), List.of(cm), false, null, null);
    assertFalse(table.has("columnDefinitions"));
    assertEquals(1, table.get("rows").size());
    assertTrue(table.get("metadata").isObject());
    assertEquals(0, printer.table(type("", "configmaps"), List.of(), true, "1", null).get("rows").size());
  }

  @Test
  void everyCatalogKindHasCellsMatchingItsColumns() throws Exception {
    ObjectNode empty = json("{\"metadata\":{\"name\":\"x\"}}");
    for (ResourceType t : catalog.all()) {
      ObjectNode table = printer.table(t, List.of(empty), true, null, null);
      assertEquals(table.get("columnDefinitions").size(), table.get("rows").get(0).get("cells").size(), t.plural());
    }
  }

  private ResourceType type(String group, String plural) {
    return catalog.find(group, "v1", plural).orElseThrow();
  }

  private static ObjectNode json(String s) throws Exception {
    return (ObjectNode) MAPPER.readTree(s);
  }

  private static List<String> columnNames(ObjectNode table) {
    List<String> out = new ArrayList<>();
    table.get("columnDefinitions").forEach(c -> out.add(c.get("name").asText()));
    return out;
  }

  private static List<Integer> priorities(ObjectNode table) {
    List<Integer> out = new ArrayList<>();
    table.get("columnDefinitions").forEach(c -> out.add(c.get("priority").asInt()));
    return out;
  }

  private static List<Object> cells(ObjectNode table, int row) {
    List<Object> out = new ArrayList<>();
    for (JsonNode c : table.get("rows").get(row).get("cells")) {
      out.add(c.isNumber() ? (Object) c.asLong() : c.isBoolean() ? (Object) c.asBoolean() : c.asText());
    }
    return out;
  }
}
