package io.capstan.apiserver.decode;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import io.capstan.apiserver.resources.ModelProperties;
import java.util.Map;

/**
 * Finds fields of a JSON body that the kind's schema does not know, by walking the body against
 * the Fabric8 model class of the kind (its {@code @JsonProperty} fields). Values typed as free
 * form (Object, JsonNode, Map of Object, quantities, int-or-string) are not looked into.
 */
public final class KnownFields {
  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

  private KnownFields() {}

  /** Paths of unknown fields, e.g. {@code spec.containers[0].imagee}, in document order. */
  public static List<String> unknown(JsonNode body, Class<?> model) {
    List<String> out = new ArrayList<>();
    walk(body, model, "", out);
    return out;
  }

  private static void walk(JsonNode node, Type type, String path, List<String> out) {
    if (node == null || node.isNull()) {
      return;
    }
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw) && node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          walk(node.get(i), args[0], path + "[" + i + "]", out);
        }
      } else if (Map.class.isAssignableFrom(raw) && node.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          walk(e.getValue(), args[1], path + "." + e.getKey(), out);
        }
      }
      return;
    }
    if (!(type instanceof Class<?> c) || !isModel(c) || !node.isObject()) {
      return;
    }
    Map<String, Type> props = properties(c);
    if (props.isEmpty()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      Type t = props.get(e.getKey());
      if (t == null) {
        out.add(child);
      } else {
        walk(e.getValue(), t, child, out);
      }
    }
  }

  private static boolean isModel(Class<?> c) {
    String n = c.getName();
    return n.startsWith(MODEL_PACKAGE) && !n.endsWith(".Quantity") && !n.endsWith(".IntOrString")
        && !n.endsWith(".KubernetesResource") && !c.isInterface() && !c.isEnum();
  }

  static Map<String, Type> properties(Class<?> c) {
    return ModelProperties.of(c);
  }
}
