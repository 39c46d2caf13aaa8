package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.ArrayList;
import java.util.List;

/** Container defaults (pull policy from the tag, termination message) and port validation. */
final class ContainerDefaults {
  private static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");

  private ContainerDefaults() {}

  static void apply(ObjectNode c) {
    String image = c.path("image").asText("");
    if (!c.has("imagePullPolicy")) {
      c.put("imagePullPolicy", pullPolicy(image));
    }
    c.putIfAbsent("terminationMessagePath", c.textNode("/dev/termination-log"));
    c.putIfAbsent("terminationMessagePolicy", c.textNode("File"));
    c.putIfAbsent("resources", c.objectNode());
    for (JsonNode p : c.path("ports")) {
      if (p instanceof ObjectNode port && !port.has("protocol")) {
        port.put("protocol", "TCP");
      }
    }
  }

  /** Always for ":latest" or no tag, IfNotPresent otherwise (digests included). */
  static String pullPolicy(String image) {
    if (image.contains("@")) {
      return "IfNotPresent";
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    if (colon <= slash || image.endsWith(":latest")) {
      return "Always";
    }
    return "IfNotPresent";
  }

  static List<FieldError> validatePorts(JsonNode ports, String path) {
    List<FieldError> errs = new ArrayList<>();
    for (int i = 0; i < ports.size(); i++) {
      JsonNode p = ports.get(i);
      String at = path + "[" + i + "]";
      JsonNode cp = p.get("containerPort");
      if (cp == null) {
        errs.add(FieldError.required(at + ".containerPort", ""));
      } else if (!cp.isInt() || cp.asInt() < 1 || cp.asInt() > 65535) {
        errs.add(FieldError.invalid(at + ".containerPort", cp.asText(), "must be between 1 and 65535, inclusive"));
      }
      String proto = p.path("protocol").asText("TCP");
      if (!PROTOCOLS.contains(proto)) {
        errs.add(FieldError.notSupported(at + ".protocol", proto, PROTOCOLS));
      }
    }
    return errs;
  }
}
