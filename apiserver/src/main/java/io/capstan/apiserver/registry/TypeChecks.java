package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.resources.ResourceType;

/** Checks that a body belongs to the URL it was sent to: kind, apiVersion, namespace, name. */
final class TypeChecks {
  private TypeChecks() {}

  /** Fills a missing apiVersion/kind from the URL; rejects a different one with 400. */
  static void checkKind(ResourceType type, ObjectNode obj) {
    String kind = obj.path("kind").asText("");
    String apiVersion = obj.path("apiVersion").asText("");
    if (!kind.isEmpty() && !kind.equals(type.kind())) {
      throw StatusErrors.badRequest("the object provided is unrecognized (must be of type " + type.kind() + "): "
          + "kind " + kind + " is not " + type.kind());
    }
    if (!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
      throw StatusErrors.badRequest("the API version in the data (" + apiVersion
          + ") does not match the expected API version (" + type.apiVersion() + ")");
    }
    obj.put("apiVersion", type.apiVersion());
    obj.put("kind", type.kind());
  }

  /** Fills or checks metadata.namespace against the URL's namespace. */
  static void checkNamespace(ResourceType type, String namespace, ObjectNode meta) {
    if (!type.namespaced()) {
      meta.remove("namespace");
      return;
    }
    String bodyNs = meta.path("namespace").asText("");
    if (bodyNs.isEmpty()) {
      meta.put("namespace", namespace);
    } else if (!bodyNs.equals(namespace)) {
      throw StatusErrors.badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
  }

  /** Fills or checks metadata.name against the URL's name. */
  static void checkName(String name, ObjectNode meta) {
    String bodyName = meta.path("name").asText("");
    if (bodyName.isEmpty()) {
      meta.put("name", name);
    } else if (!bodyName.equals(name)) {
      throw StatusErrors.badRequest("the name of the object (" + bodyName + ") does not match the name on the URL (" + name + ")");
    }
  }
}
