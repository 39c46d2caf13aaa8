package io.capstan.apiserver.crd;

import static io.capstan.apiserver.crd.Fixtures.messages;
import static io.capstan.apiserver.crd.Fixtures.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.errors.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class StructuralSchemaTest {
  private static final String P = "spec.versions[0].schema.openAPIV3Schema";

  private static List<String> check(String schemaYaml) {
    return messages(StructuralSchema.checkStructural(yaml(schemaYaml), P));
  }

  @Test
  void validSchemasPass() {
    assertEquals(List.of(), messages(StructuralSchema.checkStructural(Fixtures.cronTabSchema(), P)));
    assertEquals(List.of(), messages(StructuralSchema.checkStructural(yaml(Fixtures.WIDGET_SCHEMA), P)));
  }

  @Test
  void parsesTheStructuralTree() {
    StructuralSchema s = Fixtures.widgetSchema();
    assertEquals("object", s.type());
    StructuralSchema spec = s.properties().get("spec");
    assertEquals(1, spec.properties().get("replicas").defaultValue().asInt());
    assertEquals("map", spec.properties().get("ports").listType());
    assertEquals(List.of("name"), spec.properties().get("ports").listMapKeys());
    assertEquals("TCP", spec.properties().get("ports").items().properties().get("protocol").defaultValue().asText());
    assertEquals("string", spec.properties().get("labels").additionalProperties().type());
    assertTrue(spec.properties().get("template").preserveUnknownFields());
    assertTrue(spec.properties().get("port").intOrString());
    assertTrue(spec.properties().get("embedded").embeddedResource());
    assertTrue(spec.properties().get("owner").nullable());
    assertNull(spec.items());
  }

  @Test
  void missingTypesAreReportedPerLevel() {
    List<String> errs = check("""
        properties:
          spec:
            properties:
              list:
                type: array
                items:
                  properties:
                    x: {type: string}
        """);
    assertEquals(List.of(
        P + ".properties[spec].properties[list].items.type: Required value: must not be empty for specified array items",
        P + ".properties[spec].type: Required value: must not be empty for specified object fields",
        P + ".type: Required value: must not be empty at the root"), errs);
  }

  @Test
  void intOrStringAndPreservedFieldsNeedNoType() {
    assertEquals(List.of(), check("""
        type: object
        properties:
          port: {x-kubernetes-int-or-string: true}
          blob: {x-kubernetes-preserve-unknown-fields: true}
          alt:
            x-kubernetes-int-or-string: true
            anyOf: [{type: integer}, {type: string}]
        """));
  }

  @Test
  void arraysNeedItems() {
    assertEquals(List.of(P + ".properties[tags].items: Required value: must be specified"),
        check("{type: object, properties: {tags: {type: array}}}"));
  }

  @Test
  void refAndOtherUnsupportedKeywordsAreForbidden() {
    List<String> errs = check("""
        type: object
        definitions:
          thing: {type: string}
        properties:
          a: {$ref: '#/definitions/thing'}
          b: {type: object, patternProperties: {'^x': {type: string}}}
          c: {type: array, items: [{type: string}], additionalItems: false}
          d: {type: object, dependencies: {x: [y]}}
          e: {type: array, items: {type: string}, uniqueItems: true}
        """);
    assertTrue(errs.contains(P + ".definitions: Forbidden: definitions is not supported"), errs.toString());
    assertTrue(errs.contains(P + ".properties[a].$ref: Forbidden: $ref is not supported"), errs.toString());
    assertTrue(errs.contains(P + ".properties[b].patternProperties: Forbidden: patternProperties is not supported"));
    assertTrue(errs.contains(P + ".properties[c].items: Forbidden: items must be a schema object and not an array"));
    assertTrue(errs.contains(P + ".properties[c].additionalItems: Forbidden: additionalItems is not supported"));
    assertTrue(errs.contains(P + ".properties[d].dependencies: Forbidden: dependencies is not supported"));
    assertTrue(errs.contains(P + ".properties[e].uniqueItems: Forbidden: uniqueItems cannot be set to true since "
        + "the runtime complexity becomes quadratic"));
    // like upstream, a schema that cannot be made structural gets no structural errors on top
    assertFalse(errs.stream().anyMatch(e -> e.contains("must not be empty")), errs.toString());
  }

  @Test
  void propertiesAndAdditionalPropertiesAreExclusive() {
    List<String> errs = check("""
        type: object
        properties:
          m:
            type: object
            properties: {a: {type: string}}
            additionalProperties: {type: string}
        """);
    assertEquals(List.of(P + ".properties[m].additionalProperties: Forbidden: additionalProperties and properties "
        + "are mutual exclusive"), errs);
    assertEquals(List.of(P + ".additionalProperties: Forbidden: must not be used at the root"),
        check("{type: object, additionalProperties: {type: string}}"));
  }

  @Test
  void metadataMayOnlyRestrictNameAndGenerateName() {
    assertEquals(List.of(), check("""
        type: object
        properties:
          metadata:
            type: object
            properties:
              name: {type: string, pattern: '^[a-z]+$'}
        """));
    assertEquals(List.of(P + ".properties[metadata]: Forbidden: must not specify anything other than name and "
        + "generateName, but metadata is implicitly specified"), check("""
        type: object
        properties:
          metadata:
            type: object
            properties:
              labels: {type: object, additionalProperties: {type: string}}
        """));
    assertEquals(List.of(P + ".properties[metadata].type: Invalid value: \"string\": must be object"),
        check("{type: object, properties: {metadata: {type: string}}}"));
    List<String> defaulted = check("{type: object, properties: {metadata: {type: object, default: {name: x}}}}");
    assertEquals(List.of(P + ".properties[metadata].default: Forbidden: must not be set in top-level metadata"), defaulted);
  }

  @Test
  void valueValidationsMayNotCarryStructure() {
    List<String> errs = check("""
        type: object
        properties:
          a:
            type: string
            anyOf:
            - {type: string, nullable: true}
            - {pattern: '^x'}
        allOf:
        - properties:
            a: {minLength: 1}
            b:
              properties:
                y: {maxLength: 3}
        """);
    assertTrue(errs.contains(P + ".properties[a].anyOf[0].type: Forbidden: must be empty to be structural"), errs.toString());
    assertTrue(errs.contains(P + ".properties[a].anyOf[0].nullable: Forbidden: must be false to be structural"));
    // as upstream, fields named in the root's junctors must be specified structurally
    assertTrue(errs.contains(P + ".properties[b]: Required value: because it is defined in "
        + P + ".allOf[0].properties[b]"), errs.toString());
  }

  @Test
  void rootAndNestedTypeRules() {
    assertEquals(List.of(P + ".type: Invalid value: \"array\": must be object at the root"),
        check("{type: array, items: {type: string}}"));
    assertEquals(List.of(P + ".properties[x].type: Unsupported value: \"float\": supported values: \"array\", "
        + "\"boolean\", \"integer\", \"number\", \"object\", \"string\""), check("{type: object, properties: {x: {type: float}}}"));
    assertEquals(List.of(P + ".properties[kind].type: Invalid value: \"integer\": must be string"),
        check("{type: object, properties: {kind: {type: integer}}}"));
  }

  @Test
  void badPatternsAndListTypes() {
    List<String> errs = check("""
        type: object
        properties:
          p: {type: string, pattern: '[a-z'}
          l:
            type: array
            x-kubernetes-list-type: map
            items:
              type: object
              properties: {id: {type: string}}
        """);
    assertTrue(errs.stream().anyMatch(e -> e.startsWith(P + ".properties[p].pattern: Invalid value: \"[a-z\": must be "
        + "a valid regular expression, but isn't")), errs.toString());
    assertTrue(errs.contains(P + ".properties[l].x-kubernetes-list-map-keys: Required value: must not be empty if "
        + "x-kubernetes-list-type is map"), errs.toString());
  }

  @Test
  void defaultsMustBeValidAndPruned() {
    List<String> errs = check("""
        type: object
        properties:
          spec:
            type: object
            properties:
              replicas: {type: integer, default: many}
              nested:
                type: object
                default: {known: a, unknown: b}
                properties: {known: {type: string}}
        """);
    assertTrue(errs.contains(P + ".properties[spec].properties[replicas].default: Invalid value: \"string\": "
        + " in body must be of type integer: \"string\""), errs.toString());
    assertTrue(errs.contains(P + ".properties[spec].properties[nested].default: Invalid value: "
        + "{\"known\":\"a\",\"unknown\":\"b\"}: must not have unknown fields"), errs.toString());
  }

  @Test
  void errorsCarryTypes() {
    FieldError e = StructuralSchema.checkStructural(yaml("{type: object, properties: {s: {}}}"), P).get(0);
    assertEquals(FieldError.Type.REQUIRED, e.type());
    assertEquals(P + ".properties[s].type", e.field());
  }
}
