package io.capstan.apiserver.registry.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.errors.StatusErrors;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON patch (RFC 6902): add, remove, replace, move, copy and test over JSON pointers
 * (RFC 6901). A failed operation throws 422 (as kube-apiserver answers an unapplicable patch),
 * a malformed document 400.
 */
public final class JsonPatch {
  private JsonPatch() {}

  /** The result of applying {@code ops} to {@code target} (which is not changed). */
  public static JsonNode apply(JsonNode target, JsonNode ops) {
    if (!ops.isArray()) {
      throw StatusErrors.badRequest("a JSON patch must be an array of operations");
    }
    JsonNode doc = target.deepCopy();
    for (JsonNode op : ops) {
      String kind = op.path("op").asText("");
      String path = text(op, "path");
      doc = switch (kind) {
        case "add" -> add(doc, path, value(op));
        case "remove" -> remove(doc, path);
        case "replace" -> add(remove(doc, path), path, value(op));
        case "move" -> {
          String from = text(op, "from");
          JsonNode moved = get(doc, from);
          yield add(remove(doc, from), path, moved);
        }
        case "copy" -> add(doc, path, get(doc, text(op, "from")).deepCopy());
        case "test" -> {
          if (!get(doc, path).equals(value(op))) {
            throw unapplicable("test failed: value at " + path + " differs");
          }
          yield doc;
        }
        default -> throw StatusErrors.badRequest("unknown JSON patch operation \"" + kind + "\"");
      };
    }
    return doc;
  }

  /** The value a patch sets at {@code pointer}, if an add or replace does; else null. */
  public static JsonNode valueSetAt(JsonNode ops, String pointer) {
    JsonNode found = null;
    for (JsonNode op : ops) {
      String kind = op.path("op").asText();
      if ((kind.equals("add") || kind.equals("replace")) && pointer.equals(op.path("path").asText())) {
        found = op.get("value");
      }
    }
    return found;
  }

  private static String text(JsonNode op, String field) {
    JsonNode v = op.get(field);
    if (v == null || !v.isTextual()) {
      throw StatusErrors.badRequest("JSON patch operation is missing \"" + field + "\": " + op);
    }
    return v.asText();
  }

  private static JsonNode value(JsonNode op) {
    if (!op.has("value")) {
      throw StatusErrors.badRequest("JSON patch operation is missing \"value\": " + op);
    }
    return op.get("value").deepCopy();
  }

  static List<String> tokens(String pointer) {
    if (pointer.isEmpty()) {
      return List.of();
    }
    if (!pointer.startsWith("/")) {
      throw StatusErrors.badRequest("invalid JSON pointer \"" + pointer + "\"");
    }
    List<String> out = new ArrayList<>();
    for (String t : pointer.substring(1).split("/", -1)) {
      out.add(t.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  private static JsonNode get(JsonNode doc, String pointer) {
    JsonNode n = doc;
    for (String t : tokens(pointer)) {
      n = child(n, t);
      if (n == null) {
        throw unapplicable("path " + pointer + " does not exist");
      }
    }
    return n;
  }

  private static JsonNode child(JsonNode n, String token) {
    if (n.isObject()) {
      return n.get(token);
    }
    if (n.isArray()) {
      int i = index(token, n.size() - 1);
      return n.get(i);
    }
    return null;
  }

  private static JsonNode add(JsonNode doc, String pointer, JsonNode value) {
    List<String> t = tokens(pointer);
    if (t.isEmpty()) {
      return value;
    }
    JsonNode parent = get(doc, parentOf(pointer));
    String last = t.get(t.size() - 1);
    if (parent instanceof ObjectNode o) {
      o.set(last, value);
    } else if (parent instanceof ArrayNode a) {
      if (last.equals("-")) {
        a.add(value);
      } else {
        a.insert(index(last, a.size()), value);
      }
    } else {
      throw unapplicable("cannot add at " + pointer + ": parent is not a container");
    }
    return doc;
  }

  private static JsonNode remove(JsonNode doc, String pointer) {
    List<String> t = tokens(pointer);
    if (t.isEmpty()) {
      throw unapplicable("cannot remove the whole document");
    }
    JsonNode parent = get(doc, parentOf(pointer));
    String last = t.get(t.size() - 1);
    if (parent instanceof ObjectNode o && o.has(last)) {
      o.remove(last);
    } else if (parent instanceof ArrayNode a) {
      a.remove(index(last, a.size() - 1));
    } else {
      throw unapplicable("path " + pointer + " does not exist");
    }
    return doc;
  }

  private static String parentOf(String pointer) {
    return pointer.substring(0, pointer.lastIndexOf('/'));
  }

  private static int index(String token, int max) {
    try {
      int i = Integer.parseInt(token);
      if (i < 0 || i > max || (token.length() > 1 && token.startsWith("0"))) {
        throw unapplicable("array index " + token + " out of range");
      }
      return i;
    } catch (NumberFormatException e) {
      throw unapplicable("invalid array index \"" + token + "\"");
    }
  }

  private static ApiException unapplicable(String why) {
    return new ApiException(422, "Invalid", "the server rejected our request due to an error in our request: " + why, null);
  }
}
