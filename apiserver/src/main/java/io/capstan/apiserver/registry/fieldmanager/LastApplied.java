package io.capstan.apiserver.registry.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * kubectl's client-side-apply annotation, as the upstream field manager treats it for the
 * manager named {@code kubectl} (the one {@code kubectl apply --server-side} uses): conflicts on
 * fields that the annotation sets to their live value are forced, and the annotation is kept in
 * sync with the applied configuration when the object has one.
 */
final class LastApplied {
  static final String ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";
  static final String KUBECTL = "kubectl";
  private static final ObjectMapper READER = new ObjectMapper();

  private LastApplied() {}

  /** The annotation's text, or null. */
  static String get(JsonNode obj) {
    JsonNode v = obj == null ? null : obj.path("metadata").path("annotations").get(ANNOTATION);
    return v != null && v.isTextual() ? v.textValue() : null;
  }

  /** Sets the annotation (the object must already have annotations). */
  static void set(ObjectNode obj, String value) {
    JsonNode ann = obj.path("metadata").path("annotations");
    if (ann instanceof ObjectNode a) {
      a.put(ANNOTATION, value);
    }
  }

  /** The annotation value for an applied configuration: its JSON, keys sorted, without the annotation. */
  static String build(ObjectNode config) {
    ObjectNode copy = config.deepCopy();
    if (copy.path("metadata").path("annotations") instanceof ObjectNode a) {
      a.remove(ANNOTATION);
    }
    String json = JsonValues.compact(JsonValues.sortedKeys(copy));
    // Go's encoder escapes these; they can only occur inside strings.
    json = json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    return json + "\n";
  }

  /**
   * Fields that may be taken over without a conflict: those the live object's last-applied
   * configuration sets, except where the live value differs from it. Null when the object has
   * no usable annotation.
   */
  static FieldSet allowedConflicts(ObjectNode liveClean, Schema schema) {
    String text = get(liveClean);
    if (text == null) {
      return null;
    }
    JsonNode lastApplied;
    try {
      lastApplied = READER.readTree(text);
    } catch (IOException e) {
      return null;
    }
    if (lastApplied == null || !lastApplied.isObject()) {
      return null;
    }
    FieldSet set = Typed.toFieldSet(lastApplied, schema);
    Comparison cmp = Comparison.of(liveClean, lastApplied, schema);
    return set.difference(cmp.modified());
  }
}
