package io.capstan.apiserver.registry.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Runs strategies as the registry does, on fixtures from {@code src/test/resources/strategy/}. */
final class StrategyTesting {
  static final String UID = "6f1e3c2a-0000-4000-8000-000000000001";

  private StrategyTesting() {}

  static ObjectNode fixture(String name) {
    try (InputStream in = StrategyTesting.class.getResourceAsStream("/strategy/" + name + ".yaml")) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return (ObjectNode) Json.YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The create path: uid set by the registry, then prepareForCreate and applyDefaults. */
  static ObjectNode create(Strategy s, ObjectNode obj) {
    ObjectNode meta = Json.metadata(obj);
    if (!meta.has("uid")) {
      meta.put("uid", UID);
    }
    s.prepareForCreate(obj);
    s.applyDefaults(obj);
    return obj;
  }

  static List<String> createErrors(Strategy s, ObjectNode obj) {
    create(s, obj);
    return messages(s.validate(obj));
  }

  /** The update path: prepareForUpdate, applyDefaults, validateUpdate against the stored object. */
  static List<String> updateErrors(Strategy s, ObjectNode obj, ObjectNode stored) {
    s.prepareForUpdate(obj, stored);
    s.applyDefaults(obj);
    return messages(s.validateUpdate(obj, stored));
  }

  static List<String> messages(List<FieldError> errs) {
    return errs.stream().map(FieldError::message).toList();
  }

  static void assertValid(List<String> errs) {
    assertEquals(List.of(), errs);
  }

  static void assertHas(List<String> errs, String message) {
    assertTrue(errs.contains(message), () -> "expected <" + message + "> in " + errs);
  }

  static void assertHasPrefix(List<String> errs, String prefix) {
    assertTrue(errs.stream().anyMatch(e -> e.startsWith(prefix)), () -> "expected <" + prefix + "...> in " + errs);
  }

  /** Sets the value at a JSON pointer; {@code value} is JSON text ("80", "\"x\"", "{...}"). */
  static ObjectNode set(ObjectNode root, String pointer, String value) {
    JsonPointer ptr = JsonPointer.compile(pointer);
    JsonNode parent = root.at(ptr.head());
    String last = ptr.last().getMatchingProperty();
    if (parent instanceof ArrayNode array) {
      int i = ptr.last().getMatchingIndex();
      if (i >= array.size()) {
        array.add(json(value));
      } else {
        array.set(i, json(value));
      }
    } else if (parent instanceof ObjectNode obj) {
      obj.set(last, json(value));
    } else {
      root.withObject(ptr.head()).set(last, json(value));
    }
    return root;
  }

  static ObjectNode remove(ObjectNode root, String pointer) {
    JsonPointer ptr = JsonPointer.compile(pointer);
    JsonNode parent = root.at(ptr.head());
    if (parent instanceof ObjectNode obj) {
      obj.remove(ptr.last().getMatchingProperty());
    } else if (parent instanceof ArrayNode array) {
      array.remove(ptr.last().getMatchingIndex());
    }
    return root;
  }

  static String text(JsonNode root, String pointer) {
    return root.at(pointer).asText();
  }
}
