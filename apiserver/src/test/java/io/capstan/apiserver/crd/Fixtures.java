package io.capstan.apiserver.crd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.json.Json;
import java.io.UncheckedIOException;
import java.util.List;

/** Realistic CRDs and objects for the crd tests: the docs' CronTab and a Widget with subresources. */
final class Fixtures {
  private Fixtures() {}

  static ObjectNode yaml(String text) {
    try {
      return (ObjectNode) Json.YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode json(String text) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> messages(List<FieldError> errs) {
    return errs.stream().map(FieldError::message).toList();
  }

  /** The CronTab of the Kubernetes docs (stable.example.com). */
  static ObjectNode cronTabCrd() {
    return yaml("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: crontabs.stable.example.com
        spec:
          group: stable.example.com
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      cronSpec:
                        type: string
                        pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'
                      image:
                        type: string
                      replicas:
                        type: integer
                        minimum: 1
                        maximum: 10
          scope: Namespaced
          names:
            plural: crontabs
            singular: crontab
            kind: CronTab
            shortNames:
            - ct
        """);
  }

  static JsonNode cronTabSchema() {
    return cronTabCrd().at("/spec/versions/0/schema/openAPIV3Schema");
  }

  /** The Widget schema: defaults, list types, maps, int-or-string, preserved and embedded parts. */
  static final String WIDGET_SCHEMA = """
      type: object
      required: [spec]
      properties:
        apiVersion: {type: string}
        kind: {type: string}
        metadata:
          type: object
          properties:
            name: {type: string, maxLength: 20}
        spec:
          type: object
          required: [size]
          properties:
            replicas: {type: integer, format: int32, default: 1, minimum: 0, exclusiveMaximum: true, maximum: 100}
            size: {type: string, enum: [small, medium, large], default: small}
            ratio: {type: number, multipleOf: 0.5}
            owner: {type: string, minLength: 3, nullable: true}
            created: {type: string, format: date-time}
            checksum: {type: string, format: byte}
            port: {x-kubernetes-int-or-string: true}
            ports:
              type: array
              maxItems: 3
              x-kubernetes-list-type: map
              x-kubernetes-list-map-keys: [name]
              items:
                type: object
                required: [name]
                properties:
                  name: {type: string}
                  port: {type: integer, minimum: 1, maximum: 65535}
                  protocol: {type: string, default: TCP}
            tags:
              type: array
              minItems: 1
              x-kubernetes-list-type: set
              items: {type: string}
            labels:
              type: object
              maxProperties: 2
              minProperties: 1
              additionalProperties: {type: string}
            limits:
              type: object
              additionalProperties:
                type: object
                properties:
                  max: {type: integer}
                  unit: {type: string, default: count}
            settings:
              type: object
              properties:
                mode: {type: string, default: auto}
                tuning:
                  type: object
                  properties:
                    level: {type: integer, default: 3}
            defaulted:
              type: object
              default: {}
              properties:
                enabled: {type: boolean, default: true}
            template:
              type: object
              x-kubernetes-preserve-unknown-fields: true
              properties:
                known:
                  type: object
                  properties:
                    a: {type: string}
            embedded:
              type: object
              x-kubernetes-embedded-resource: true
              properties:
                spec:
                  type: object
                  properties:
                    x: {type: string}
        status:
          type: object
          properties:
            replicas: {type: integer}
            selector: {type: string}
      """;

  static StructuralSchema widgetSchema() {
    return StructuralSchema.parse(yaml(WIDGET_SCHEMA));
  }

  /** A Widget CRD with two versions, status and scale subresources and printer columns. */
  static ObjectNode widgetCrd() {
    ObjectNode crd = yaml("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.capstan.io
        spec:
          group: example.capstan.io
          scope: Namespaced
          names:
            plural: widgets
            kind: Widget
            shortNames: [wd]
            categories: [all]
          versions:
          - name: v1alpha1
            served: true
            storage: false
            deprecated: true
            deprecationWarning: example.capstan.io/v1alpha1 Widget is deprecated
          - name: v1
            served: true
            storage: true
        """);
    for (JsonNode v : crd.at("/spec/versions")) {
      ObjectNode version = (ObjectNode) v;
      version.putObject("schema").set("openAPIV3Schema", yaml(WIDGET_SCHEMA));
      version.set("subresources", yaml("""
          status: {}
          scale:
            specReplicasPath: .spec.replicas
            statusReplicasPath: .status.replicas
            labelSelectorPath: .status.selector
          """));
      version.set("additionalPrinterColumns", Json.YAML.valueToTree(List.of(
          yaml("{name: Replicas, type: integer, jsonPath: .spec.replicas}"),
          yaml("{name: Age, type: date, jsonPath: .metadata.creationTimestamp}"))));
    }
    return crd;
  }
}
