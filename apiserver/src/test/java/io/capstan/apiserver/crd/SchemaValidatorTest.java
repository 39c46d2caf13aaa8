package io.capstan.apiserver.crd;

import static io.capstan.apiserver.crd.Fixtures.json;
import static io.capstan.apiserver.crd.Fixtures.messages;
import static io.capstan.apiserver.crd.Fixtures.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaValidatorTest {
  private static final StructuralSchema WIDGET = Fixtures.widgetSchema();
  private static final StructuralSchema CRONTAB = StructuralSchema.parse(Fixtures.cronTabSchema());

  private static ObjectNode widget() {
    return json("""
        {"apiVersion": "example.capstan.io/v1", "kind": "Widget",
         "metadata": {"name": "w1", "namespace": "default", "labels": {"app": "w"}},
         "spec": {"replicas": 3, "size": "small", "ratio": 1.5, "owner": null,
                  "created": "2024-01-02T03:04:05Z", "checksum": "aGVsbG8=", "port": 8080,
                  "ports": [{"name": "http", "port": 80, "protocol": "TCP"}, {"name": "https", "port": 443}],
                  "tags": ["a", "b"], "labels": {"team": "x"}, "limits": {"cpu": {"max": 4, "unit": "cores"}},
                  "settings": {"mode": "auto", "tuning": {"level": 2}}, "defaulted": {"enabled": false},
                  "template": {"anything": {"goes": [1, 2]}, "known": {"a": "x"}},
                  "embedded": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "spec": {"x": "y"}}},
         "status": {"replicas": 3, "selector": "app=w"}}
        """);
  }

  /** The messages for a widget with {@code path} (a JSON pointer under the object) set to {@code value}. */
  private static List<String> widgetWith(String pointer, String valueJson) {
    ObjectNode w = widget();
    JsonNode value = json("{\"v\": " + valueJson + "}").get("v");
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = w.at(pointer.substring(0, slash));
    String last = pointer.substring(slash + 1);
    if (parent.isArray()) {
      ((com.fasterxml.jackson.databind.node.ArrayNode) parent).set(Integer.parseInt(last), value);
    } else if (value == null) {
      ((ObjectNode) parent).remove(last);
    } else {
      ((ObjectNode) parent).set(last, value);
    }
    return messages(SchemaValidator.validate(w, WIDGET));
  }

  private static List<String> widgetWithout(String pointer) {
    ObjectNode w = widget();
    int slash = pointer.lastIndexOf('/');
    ((ObjectNode) w.at(pointer.substring(0, slash))).remove(pointer.substring(slash + 1));
    return messages(SchemaValidator.validate(w, WIDGET));
  }

  @Test
  void validObjectsPass() {
    assertEquals(List.of(), messages(SchemaValidator.validate(widget(), WIDGET)));
    assertEquals(List.of(), messages(SchemaValidator.validate(json("""
        {"apiVersion": "stable.example.com/v1", "kind": "CronTab", "metadata": {"name": "my-new-cron-object"},
         "spec": {"cronSpec": "* * * * */5", "image": "my-awesome-cron-image", "replicas": 1}}
        """), CRONTAB)));
  }

  @Test
  void typesAreCheckedWithUpstreamWording() {
    assertEquals(List.of("spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\""),
        widgetWith("/spec/replicas", "\"three\""));
    assertEquals(List.of("spec.replicas: Invalid value: \"number\": spec.replicas in body must be of type integer: \"number\""),
        widgetWith("/spec/replicas", "1.5"));
    assertEquals(List.of(), widgetWith("/spec/replicas", "2.0"), "a float64 with an integral value is an integer upstream");
    assertEquals(List.of("spec.ratio: Invalid value: \"string\": spec.ratio in body must be of type number: \"string\""),
        widgetWith("/spec/ratio", "\"x\""));
    assertEquals(List.of(), widgetWith("/spec/ratio", "2"));
    assertEquals(List.of("spec.defaulted.enabled: Invalid value: \"string\": spec.defaulted.enabled in body must be of "
        + "type boolean: \"string\""), widgetWith("/spec/defaulted/enabled", "\"yes\""));
    assertEquals(List.of("spec.settings: Invalid value: \"string\": spec.settings in body must be of type object: \"string\""),
        widgetWith("/spec/settings", "\"x\""));
    assertEquals(List.of("spec.tags: Invalid value: \"string\": spec.tags in body must be of type array: \"string\""),
        widgetWith("/spec/tags", "\"a\""));
    FieldError e = SchemaValidator.validate(json("{\"spec\": {\"replicas\": \"x\", \"size\": \"small\"}}"), WIDGET).get(0);
    assertEquals(FieldError.Type.INVALID, e.type());
    assertEquals("spec.replicas", e.field());
  }

  @Test
  void requiredFields() {
    assertEquals(List.of("spec.size: Required value"), widgetWithout("/spec/size"));
    assertEquals(List.of("spec: Required value"), widgetWithout("/spec"));
    assertEquals(List.of("spec.ports[1].name: Required value"), widgetWithout("/spec/ports/1/name"));
    assertEquals(FieldError.Type.REQUIRED,
        SchemaValidator.validate(json("{\"spec\": {}}"), WIDGET).get(0).type());
  }

  @Test
  void enumValues() {
    assertEquals(List.of("spec.size: Unsupported value: \"huge\": supported values: \"small\", \"medium\", \"large\""),
        widgetWith("/spec/size", "\"huge\""));
    assertEquals(List.of(), widgetWith("/spec/size", "\"large\""));
  }

  @Test
  void patterns() {
    List<FieldError> errs = SchemaValidator.validate(json("{\"spec\": {\"cronSpec\": \"every minute\"}}"), CRONTAB);
    assertEquals(List.of("spec.cronSpec: Invalid value: \"every minute\": spec.cronSpec in body should match "
        + "'^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'"), messages(errs));
    assertEquals(List.of(), messages(SchemaValidator.validate(json("{\"spec\": {\"cronSpec\": \"*/5 * * * *\"}}"), CRONTAB)));
  }

  @Test
  void numericBounds() {
    assertEquals(List.of("spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1"),
        messages(SchemaValidator.validate(json("{\"spec\": {\"replicas\": 0}}"), CRONTAB)));
    assertEquals(List.of("spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10"),
        messages(SchemaValidator.validate(json("{\"spec\": {\"replicas\": 11}}"), CRONTAB)));
    assertEquals(List.of(), messages(SchemaValidator.validate(json("{\"spec\": {\"replicas\": 10}}"), CRONTAB)));
    assertEquals(List.of("spec.replicas: Invalid value: 100: spec.replicas in body should be less than 100"),
        widgetWith("/spec/replicas", "100"));
    assertEquals(List.of("spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0"),
        widgetWith("/spec/replicas", "-1"));
    assertEquals(List.of("spec.ratio: Invalid value: 0.7: spec.ratio in body should be a multiple of 0.5"),
        widgetWith("/spec/ratio", "0.7"));
  }

  @Test
  void stringLengths() {
    assertEquals(List.of("spec.owner: Invalid value: \"ab\": spec.owner in body should be at least 3 chars long"),
        widgetWith("/spec/owner", "\"ab\""));
    assertEquals(List.of(), widgetWith("/spec/owner", "\"abc\""));
    List<FieldError> errs = SchemaValidator.validate(widgetWithName("a-very-long-widget-name-indeed"), WIDGET);
    assertEquals(List.of("metadata.name: Too long: may not be more than 20 bytes"), messages(errs));
    assertEquals(FieldError.Type.TOO_LONG, errs.get(0).type());
    assertEquals(List.of(), messages(SchemaValidator.validate(widgetWithName("short"), WIDGET)));
  }

  private static ObjectNode widgetWithName(String name) {
    ObjectNode w = widget();
    ((ObjectNode) w.get("metadata")).put("name", name);
    return w;
  }

  @Test
  void itemAndPropertyCounts() {
    assertEquals(List.of("spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items"),
        widgetWith("/spec/tags", "[]"));
    assertEquals(List.of("spec.ports: Invalid value: 4: must have at most 3 items"),
        widgetWith("/spec/ports", "[{\"name\": \"a\"}, {\"name\": \"b\"}, {\"name\": \"c\"}, {\"name\": \"d\"}]"));
    assertEquals(List.of("spec.labels: Invalid value: 0: spec.labels in body should have at least 1 properties"),
        widgetWith("/spec/labels", "{}"));
    assertEquals(List.of("spec.labels: Invalid value: 3: must have at most 2 items"),
        widgetWith("/spec/labels", "{\"a\": \"1\", \"b\": \"2\", \"c\": \"3\"}"));
  }

  @Test
  void formats() {
    assertEquals(List.of("spec.created: Invalid value: \"yesterday\": spec.created in body must be of type date-time: "
        + "\"yesterday\""), widgetWith("/spec/created", "\"yesterday\""));
    assertEquals(List.of("spec.checksum: Invalid value: \"not base64!\": spec.checksum in body must be of type byte: "
        + "\"not base64!\""), widgetWith("/spec/checksum", "\"not base64!\""));
    assertEquals(List.of("<nil>: Invalid value: \"\": Checked value must be of type integer with format int32 in "
        + "spec.replicas"), messages(SchemaValidator.validate(json("{\"spec\": {\"replicas\": 3000000000}}"),
        StructuralSchema.parse(yaml("{type: object, properties: {spec: {type: object, properties: "
            + "{replicas: {type: integer, format: int32}}}}}")))));
  }

  @Test
  void additionalPropertiesAndNestedItems() {
    assertEquals(List.of("spec.labels.team: Invalid value: \"integer\": spec.labels.team in body must be of type "
        + "string: \"integer\""), widgetWith("/spec/labels/team", "1"));
    assertEquals(List.of("spec.limits.cpu.max: Invalid value: \"string\": spec.limits.cpu.max in body must be of type "
        + "integer: \"string\""), widgetWith("/spec/limits/cpu/max", "\"four\""));
    assertEquals(List.of("spec.ports[1].port: Invalid value: 0: spec.ports[1].port in body should be greater than or "
        + "equal to 1"), widgetWith("/spec/ports/1/port", "0"));
    assertEquals(List.of("spec.ports[0]: Invalid value: \"string\": spec.ports[0] in body must be of type object: "
        + "\"string\"", "spec.ports[0]: Invalid value: \"http\": must be an object for an array of list-type map"),
        widgetWith("/spec/ports/0", "\"http\""));
  }

  @Test
  void intOrString() {
    assertEquals(List.of(), widgetWith("/spec/port", "\"http\""));
    assertEquals(List.of(), widgetWith("/spec/port", "80"));
    assertEquals(List.of("spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: "
        + "\"boolean\""), widgetWith("/spec/port", "true"));
  }

  @Test
  void preserveUnknownFieldsStillValidatesKnownOnes() {
    assertEquals(List.of(), widgetWith("/spec/template/whatever", "{\"deep\": [1, \"x\"]}"));
    assertEquals(List.of("spec.template.known.a: Invalid value: \"integer\": spec.template.known.a in body must be of "
        + "type string: \"integer\""), widgetWith("/spec/template/known/a", "5"));
  }

  @Test
  void nullable() {
    assertEquals(List.of(), widgetWith("/spec/owner", "null"));
    assertEquals(List.of("spec.size: Invalid value: \"null\": spec.size in body must be of type string: \"null\"",
        "spec.size: Unsupported value: null: supported values: \"small\", \"medium\", \"large\""),
        widgetWith("/spec/size", "null"));
  }

  @Test
  void listTypeSetAndMapUniqueness() {
    List<FieldError> errs = SchemaValidator.validate(withSpec("\"tags\": [\"a\", \"b\", \"a\", \"b\", \"a\"]"), WIDGET);
    assertEquals(List.of("spec.tags[2]: Duplicate value: \"a\"", "spec.tags[3]: Duplicate value: \"b\""), messages(errs));
    assertEquals(FieldError.Type.DUPLICATE, errs.get(0).type());
    assertEquals(List.of("spec.ports[2]: Duplicate value: {\"name\":\"http\"}"), messages(SchemaValidator.validate(
        withSpec("\"ports\": [{\"name\": \"http\", \"port\": 80}, {\"name\": \"https\"}, {\"name\": \"http\", \"port\": 8080}]"),
        WIDGET)));
  }

  private static ObjectNode withSpec(String fields) {
    return json("{\"spec\": {\"size\": \"small\", " + fields + "}}");
  }

  @Test
  void rootTypeMetaAndMetadataAreLeftAlone() {
    StructuralSchema s = StructuralSchema.parse(yaml("""
        type: object
        properties:
          apiVersion: {type: string}
          kind: {type: string}
          metadata: {type: object}
        """));
    assertEquals(List.of(), messages(SchemaValidator.validate(
        json("{\"apiVersion\": 1, \"kind\": [], \"metadata\": {\"name\": 5, \"odd\": true}}"), s)));
  }

  @Test
  void junctors() {
    StructuralSchema s = StructuralSchema.parse(yaml("""
        type: object
        properties:
          v:
            type: string
            anyOf: [{pattern: '^a'}, {pattern: '^b'}]
            not: {enum: [bad]}
        """));
    assertEquals(List.of(), messages(SchemaValidator.validate(json("{\"v\": \"apple\"}"), s)));
    assertEquals(List.of("<nil>: Invalid value: \"\": \"v\" must validate at least one schema (anyOf)",
        "v: Invalid value: \"cherry\": v in body should match '^a'"),
        messages(SchemaValidator.validate(json("{\"v\": \"cherry\"}"), s)));
  }

  @Test
  void numbersPrintAsGoPrintsThem() {
    assertEquals("0.7", SchemaFormats.goFloat(0.7));
    assertEquals("100", SchemaFormats.goFloat(100.0));
    assertEquals("123456", SchemaFormats.goFloat(123456.0));
    assertEquals("1.234567e+06", SchemaFormats.goFloat(1234567.0));
    assertEquals("1e-05", SchemaFormats.goFloat(0.00001));
    assertEquals("0.0001", SchemaFormats.goFloat(0.0001));
    assertEquals("1234567", SchemaFormats.jsonFloat(1234567.0));
    assertEquals("1e+21", SchemaFormats.jsonFloat(1e21));
    assertEquals("1e-7", SchemaFormats.jsonFloat(1e-7));
    assertEquals(List.of("spec.ratio: Invalid value: 2.5e+06: spec.ratio in body should be less than or equal to 1e+06"),
        messages(SchemaValidator.validate(json("{\"spec\": {\"ratio\": 2.5e6}}"),
            StructuralSchema.parse(yaml("{type: object, properties: {spec: {type: object, properties: "
                + "{ratio: {type: number, maximum: 1000000}}}}}")))));
  }

  @Test
  void validatesValuesUnderAPath() {
    StructuralSchema replicas = CRONTAB.properties().get("spec").properties().get("replicas");
    assertEquals(List.of("x.default: Invalid value: 0:  in body should be greater than or equal to 1"),
        messages(SchemaValidator.validateValue(json("{\"v\": 0}").get("v"), replicas, "x.default")));
  }
}
