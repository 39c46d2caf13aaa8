package io.capstan.apiserver.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one Jackson setup of the API server, and small helpers on JSON trees. */
public final class Json {
  /** Lenient mapper: used for stored bytes and our own output. */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true)
      .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
  /** Mapper that rejects duplicate keys (fieldValidation=Strict). */
  public static final ObjectMapper STRICT = MAPPER.copy()
      .configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true);
  public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true);
  public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static ObjectNode parseObject(byte[] bytes) {
    try {
      return (ObjectNode) MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String string(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Deep equality of JSON values with numbers compared by value ({@code 2} equals {@code 2.0}),
   * as values decoded from JSON compare in schema validation and field management.
   */
  public static boolean equalValues(JsonNode a, JsonNode b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (var it = a.fields(); it.hasNext(); ) {
        var e = it.next();
        if (!equalValues(e.getValue(), b.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!equalValues(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.getNodeType() == b.getNodeType() && a.equals(b);
  }

  /** {@code obj.metadata}, created when missing. */
  public static ObjectNode metadata(ObjectNode obj) {
    JsonNode m = obj.get("metadata");
    if (m instanceof ObjectNode o) {
      return o;
    }
    return obj.putObject("metadata");
  }

  /** Text at a dotted path ("spec.nodeName"), or "" when absent or not a scalar. */
  public static String text(JsonNode node, String dottedPath) {
    JsonNode n = at(node, dottedPath);
    return n == null || n.isNull() || n.isContainerNode() ? "" : n.asText();
  }

  /** The node at a dotted path, or null. */
  public static JsonNode at(JsonNode node, String dottedPath) {
    JsonNode n = node;
    for (String part : dottedPath.split("\\.")) {
      if (n == null || !n.isObject()) {
        return null;
      }
      n = n.get(part);
    }
    return n;
  }
}
