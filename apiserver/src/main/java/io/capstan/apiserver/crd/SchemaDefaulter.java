package io.capstan.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Structural defaulting as apiextensions-apiserver does it: first null values of non-nullable
 * fields without a default are dropped, then every absent field (or non-nullable null) whose
 * schema has a {@code default} gets a deep copy of it, recursively through properties, items and
 * additionalProperties. Defaults apply only inside objects that exist: an absent parent is not
 * created unless it has a default itself (and then its own defaulted content is defaulted too).
 */
public final class SchemaDefaulter {
  private SchemaDefaulter() {}

  /** Defaults {@code obj} in place against {@code schema}. */
  public static void applyDefaults(ObjectNode obj, StructuralSchema schema) {
    if (obj == null || schema == null) {
      return;
    }
    pruneNulls(obj, schema);
    defaults(obj, schema);
  }

  /** Removes object fields that are null although their schema is neither nullable nor defaulted. */
  static void pruneNulls(JsonNode x, StructuralSchema s) {
    if (x instanceof ObjectNode o) {
      List<String> drop = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) o::fields) {
        StructuralSchema f = s == null ? null : s.fieldSchema(e.getKey());
        if (e.getValue().isNull() && f != null && !f.nullable() && f.defaultValue() == null) {
          drop.add(e.getKey());
        } else {
          pruneNulls(e.getValue(), f);
        }
      }
      o.remove(drop);
    } else if (x instanceof ArrayNode a) {
      StructuralSchema items = s == null ? null : s.items();
      a.forEach(item -> pruneNulls(item, items));
    }
  }

  private static void defaults(JsonNode x, StructuralSchema s) {
    if (s == null) {
      return;
    }
    if (x instanceof ObjectNode o) {
      for (Map.Entry<String, StructuralSchema> p : s.properties().entrySet()) {
        JsonNode d = p.getValue().defaultValue();
        if (d != null && (!o.has(p.getKey()) || nonNullableNull(o.get(p.getKey()), p.getValue()))) {
          o.set(p.getKey(), d.deepCopy());
        }
      }
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      for (String k : names) {
        StructuralSchema p = s.properties().get(k);
        if (p != null) {
          defaults(o.get(k), p);
        } else if (s.additionalProperties() != null) {
          StructuralSchema ap = s.additionalProperties();
          if (nonNullableNull(o.get(k), ap) && ap.defaultValue() != null) {
            o.set(k, ap.defaultValue().deepCopy());
          }
          defaults(o.get(k), ap);
        }
      }
    } else if (x instanceof ArrayNode a && s.items() != null) {
      StructuralSchema items = s.items();
      for (int i = 0; i < a.size(); i++) {
        if (nonNullableNull(a.get(i), items) && items.defaultValue() != null) {
          a.set(i, items.defaultValue().deepCopy());
        }
        defaults(a.get(i), items);
      }
    }
  }

  private static boolean nonNullableNull(JsonNode v, StructuralSchema s) {
    return v != null && v.isNull() && !s.nullable();
  }
}
