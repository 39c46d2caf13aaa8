package io.capstan.apiserver.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.errors.StatusErrors;
import io.vertx.core.MultiMap;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks kube-apiserver makes before it sends a pod subresource to the node, on the pod as
 * stored, and the agent API path it goes to: the container ({@code container} parameter; the only
 * one when the pod has one; else 400 naming the choices), the node (400 {@code pod <p> does not
 * have a host assigned}), the options (PodLogOptions: 422 Invalid; exec/attach: at least one
 * stream).
 */
final class PodTargets {
  private static final List<String> LOG_PARAMS = List.of("follow", "tailLines", "sinceSeconds", "sinceTime",
      "timestamps", "previous", "limitBytes");
  private static final List<String> STREAM_PARAMS = List.of("stdin", "stdout", "stderr", "tty");

  private PodTargets() {}

  /** The node name of {@code pod}; 400 when it is not scheduled. */
  static String node(JsonNode pod) {
    String node = pod.path("spec").path("nodeName").asText("");
    if (node.isEmpty()) {
      throw StatusErrors.badRequest("pod " + name(pod) + " does not have a host assigned");
    }
    return node;
  }

  /** The container a request means, as kube-apiserver's validateContainer picks it. */
  static String container(JsonNode pod, String requested) {
    List<String> regular = names(pod.path("spec").path("containers"));
    List<String> all = new ArrayList<>(names(pod.path("spec").path("initContainers")));
    all.addAll(regular);
    all.addAll(names(pod.path("spec").path("ephemeralContainers")));
    if (requested == null || requested.isEmpty()) {
      if (regular.size() == 1) {
        return regular.get(0);
      }
      if (regular.isEmpty()) {
        throw StatusErrors.badRequest("a container name must be specified for pod " + name(pod));
      }
      throw StatusErrors.badRequest("a container name must be specified for pod " + name(pod) + ", choose one of: ["
          + String.join(" ", all) + "]");
    }
    if (!all.contains(requested)) {
      throw StatusErrors.badRequest("container " + requested + " is not valid for pod " + name(pod));
    }
    return requested;
  }

  /** The agent path and query of {@code sub} (log, exec, attach, portforward) for {@code pod}. */
  static String agentPath(String sub, JsonNode pod, MultiMap q) {
    String ns = pod.path("metadata").path("namespace").asText();
    String name = name(pod);
    if (sub.equals("portforward")) {
      return "/portForward/" + enc(ns) + "/" + enc(name) + query(q, List.of("port"));
    }
    String container = container(pod, q.get("container"));
    String base = "/" + enc(ns) + "/" + enc(name) + "/" + enc(container);
    return switch (sub) {
      case "log" -> {
        validateLogOptions(name, q);
        yield "/containerLogs" + base + query(q, LOG_PARAMS);
      }
      case "exec" -> {
        streams(q);
        List<String> p = new ArrayList<>(List.of("command"));
        p.addAll(STREAM_PARAMS);
        yield "/exec" + base + query(q, p);
      }
      case "attach" -> {
        streams(q);
        yield "/attach" + base + query(q, STREAM_PARAMS);
      }
      default -> throw StatusErrors.pathNotFound();
    };
  }

  private static void streams(MultiMap q) {
    if (!bool(q, "stdin") && !bool(q, "stdout") && !bool(q, "stderr")) {
      throw StatusErrors.badRequest("you must specify at least 1 of stdin, stdout, stderr");
    }
  }

  private static void validateLogOptions(String name, MultiMap q) {
    List<FieldError> errors = new ArrayList<>();
    Long tail = number(q, "tailLines", errors);
    Long since = number(q, "sinceSeconds", errors);
    Long limit = number(q, "limitBytes", errors);
    if (tail != null && tail < 0) {
      errors.add(FieldError.invalid("tailLines", tail, "must be greater than or equal to 0"));
    }
    if (since != null && since < 1) {
      errors.add(FieldError.invalid("sinceSeconds", since, "must be greater than 0"));
    }
    if (limit != null && limit < 1) {
      errors.add(FieldError.invalid("limitBytes", limit, "must be greater than 0"));
    }
    String sinceTime = q.get("sinceTime");
    if (since != null && sinceTime != null) {
      errors.add(FieldError.forbidden("", "at most one of `sinceTime` or `sinceSeconds` may be specified"));
    }
    if (sinceTime != null) {
      try {
        java.time.OffsetDateTime.parse(sinceTime);
      } catch (java.time.format.DateTimeParseException e) {
        errors.add(FieldError.invalid("sinceTime", sinceTime, "must be an RFC 3339 time"));
      }
    }
    if (!errors.isEmpty()) {
      throw StatusErrors.invalid("", "PodLogOptions", name, errors);
    }
  }

  private static Long number(MultiMap q, String key, List<FieldError> errors) {
    String v = q.get(key);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      errors.add(FieldError.invalid(key, v, "must be an integer"));
      return null;
    }
  }

  static boolean bool(MultiMap q, String key) {
    String v = q.get(key);
    return v != null && (v.equalsIgnoreCase("true") || v.equals("1") || v.equals("t") || v.equals("T"));
  }

  private static String query(MultiMap q, List<String> keep) {
    StringBuilder b = new StringBuilder();
    for (String k : keep) {
      for (String v : q.getAll(k)) {
        b.append(b.isEmpty() ? '?' : '&').append(enc(k)).append('=').append(enc(v));
      }
    }
    return b.toString();
  }

  private static List<String> names(JsonNode containers) {
    List<String> out = new ArrayList<>();
    containers.forEach(c -> out.add(c.path("name").asText()));
    return out;
  }

  private static String name(JsonNode pod) {
    return pod.path("metadata").path("name").asText();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

}
