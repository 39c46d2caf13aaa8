package io.capstan.apiserver.decode.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a protobuf message of a Kubernetes API type into the JSON that Kubernetes' own JSON
 * encoding of the same Go object gives (Go {@code encoding/json} with the types' struct tags):
 * <ul>
 *   <li>field names are the protobuf names (k8s' generated.proto names fields by their JSON
 *       names), except those {@link GoFieldTags} renames; embedded structs are inlined;
 *   <li>unset fields, empty lists and maps are left out; a set scalar with its zero value is left
 *       out when Go's field is a non-pointer {@code omitempty} one and kept otherwise (a field
 *       unknown to the table: empty strings out, zero numbers and false kept); a set message is
 *       always written, as {@code {}} when empty, as Go writes non-pointer structs;
 *   <li>{@code Time} is RFC 3339 in seconds, {@code MicroTime} RFC 3339 in microseconds, both
 *       left out when zero (Go writes {@code null}); {@code Quantity} is its string; {@code
 *       IntOrString} a number or a string; {@code RawExtension} and {@code FieldsV1} their embedded
 *       JSON; {@code ExtraValue} and {@code Verbs} arrays of strings; bytes are base64;
 *   <li>map keys are sorted, as Go sorts them; numbers are the nodes Jackson would parse them
 *       into (int when it fits, else long), so that the tree equals the parsed JSON text.
 * </ul>
 */
final class KubeJson {
  private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  /** Go's zero {@code time.Time} in Unix seconds: written as null, like an empty Time. */
  private static final long GO_ZERO_TIME = -62135596800L;

  private KubeJson() {}

  /** The fields of a message as a JSON object (without apiVersion and kind). */
  static ObjectNode object(Message m) {
    ObjectNode out = Json.object();
    fields(m, out);
    return out;
  }

  /** A message as JSON, or null when Kubernetes' JSON would have null (the field is left out). */
  private static JsonNode message(Message m) {
    Descriptor d = m.getDescriptorForType();
    switch (d.getFullName()) {
      case META + "Time":
        return time(m, SECONDS, true);
      case META + "MicroTime":
        return time(m, MICROS, false);
      case "k8s.io.apimachinery.pkg.api.resource.Quantity":
        FieldDescriptor s = d.findFieldByName("string");
        return Json.NODES.textNode(m.hasField(s) ? (String) m.getField(s) : "0");
      case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
        return intOrString(m);
      case "k8s.io.apimachinery.pkg.runtime.RawExtension":
        return embeddedJson((ByteString) m.getField(d.findFieldByName("raw")), "RawExtension");
      case META + "FieldsV1":
        return embeddedJson((ByteString) m.getField(d.findFieldByName("Raw")), "FieldsV1");
      case META + "Verbs":
      case "k8s.io.api.authentication.v1.ExtraValue":
      case "k8s.io.api.authorization.v1.ExtraValue":
        ArrayNode items = Json.NODES.arrayNode();
        ((List<?>) m.getField(d.findFieldByName("items"))).forEach(i -> items.add((String) i));
        return items;
      default:
        return object(m);
    }
  }

  private static void fields(Message m, ObjectNode out) {
    Descriptor d = m.getDescriptorForType();
    String type = d.getFullName();
    for (FieldDescriptor f : d.getFields()) {
      String name = GoFieldTags.jsonName(type, f.getNumber(), f.getName());
      if (f.isMapField()) {
        List<?> entries = (List<?>) m.getField(f);
        if (!entries.isEmpty()) {
          out.set(name, map(entries, f.getMessageType()));
        }
      } else if (f.isRepeated()) {
        int n = m.getRepeatedFieldCount(f);
        if (n > 0) {
          ArrayNode array = out.putArray(name);
          for (int i = 0; i < n; i++) {
            array.add(element(f, m.getRepeatedField(f, i)));
          }
        }
      } else if (!m.hasField(f)) {
        continue;
      } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        JsonNode value = message((Message) m.getField(f));
        if (value instanceof ObjectNode obj && GoFieldTags.inline(type, f.getNumber())) {
          out.setAll(obj);
        } else if (value != null) {
          out.set(name, value);
        }
      } else {
        Object value = m.getField(f);
        if (!isZero(value) || !omitZero(type, f, value)) {
          out.set(name, scalar(f, value));
        }
      }
    }
  }

  private static ObjectNode map(List<?> entries, Descriptor entryType) {
    FieldDescriptor key = entryType.findFieldByName("key");
    FieldDescriptor value = entryType.findFieldByName("value");
    Map<String, JsonNode> sorted = new TreeMap<>();
    for (Object e : entries) {
      Message entry = (Message) e;
      sorted.put(String.valueOf(entry.getField(key)), element(value, entry.getField(value)));
    }
    ObjectNode out = Json.object();
    sorted.forEach(out::set);
    return out;
  }

  private static JsonNode element(FieldDescriptor f, Object value) {
    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      JsonNode j = message((Message) value);
      return j == null ? Json.NODES.nullNode() : j;
    }
    return scalar(f, value);
  }

  private static boolean omitZero(String type, FieldDescriptor f, Object value) {
    return switch (GoFieldTags.presence(type, f.getNumber())) {
      case OMIT_ZERO -> true;
      case KEEP_ZERO -> false;
      case UNKNOWN -> value instanceof String || value instanceof ByteString;
    };
  }

  private static boolean isZero(Object v) {
    if (v instanceof String s) {
      return s.isEmpty();
    } else if (v instanceof Boolean b) {
      return !b;
    } else if (v instanceof Number n) {
      return n.doubleValue() == 0;
    } else if (v instanceof ByteString b) {
      return b.isEmpty();
    }
    return false;
  }

  private static JsonNode scalar(FieldDescriptor f, Object v) {
    switch (f.getJavaType()) {
      case STRING:
        return Json.NODES.textNode((String) v);
      case BOOLEAN:
        return Json.NODES.booleanNode((Boolean) v);
      case INT:
        return Json.NODES.numberNode((Integer) v);
      case LONG:
        long l = (Long) v;
        return l == (int) l ? Json.NODES.numberNode((int) l) : Json.NODES.numberNode(l);
      case FLOAT:
        return Json.NODES.numberNode((Float) v);
      case DOUBLE:
        return Json.NODES.numberNode((Double) v);
      case BYTE_STRING:
        return Json.NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()));
      case ENUM:
        return Json.NODES.textNode(((EnumValueDescriptor) v).getName());
      default:
        throw new IllegalStateException("unexpected protobuf field " + f.getFullName());
    }
  }

  /** Go decodes an empty Time as the zero time and writes it as null; Time drops the nanos. */
  private static JsonNode time(Message m, DateTimeFormatter format, boolean secondsOnly) {
    Descriptor d = m.getDescriptorForType();
    long seconds = (Long) m.getField(d.findFieldByName("seconds"));
    int nanos = (Integer) m.getField(d.findFieldByName("nanos"));
    if (m.getAllFields().isEmpty() || (seconds == GO_ZERO_TIME && nanos == 0)) {
      return null;
    }
    Instant t = Instant.ofEpochSecond(seconds, secondsOnly ? 0 : nanos);
    return Json.NODES.textNode(format.format(t));
  }

  private static JsonNode intOrString(Message m) {
    Descriptor d = m.getDescriptorForType();
    long type = (Long) m.getField(d.findFieldByName("type"));
    if (type == 0) {
      return Json.NODES.numberNode((Integer) m.getField(d.findFieldByName("intVal")));
    } else if (type == 1) {
      return Json.NODES.textNode((String) m.getField(d.findFieldByName("strVal")));
    }
    throw StatusErrors.badRequest("impossible IntOrString.Type " + type + " in the protobuf body");
  }

  private static JsonNode embeddedJson(ByteString raw, String what) {
    if (raw.isEmpty()) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(raw.toByteArray());
    } catch (IOException e) {
      throw StatusErrors.badRequest("the " + what + " in the protobuf body is not JSON: " + e.getMessage());
    }
  }
}
