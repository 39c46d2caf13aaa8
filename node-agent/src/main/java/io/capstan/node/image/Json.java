package io.capstan.node.image;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The store's JSON: parsing blobs and writing compact, deterministic documents. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** Parses {@code bytes} as a JSON object; {@code what} names it in the error. */
    static ObjectNode object(byte[] bytes, String what) throws InvalidImageException {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (tools.jackson.core.JacksonException e) {
            throw new InvalidImageException(what + " is not valid JSON");
        }
        if (!(node instanceof ObjectNode o)) {
            throw new InvalidImageException(what + " is not a JSON object");
        }
        return o;
    }

    static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || !v.isString() ? null : v.asString();
    }

    /** A string array field, null when absent or not an array of strings. */
    static List<String> strings(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || !v.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        v.forEach(e -> out.add(e.asString()));
        return out;
    }

    static Map<String, String> stringMap(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (v != null && v.isObject()) {
            v.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
        }
        return out;
    }
}
