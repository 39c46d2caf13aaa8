package io.capstan.apiserver.registry.alloc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.errors.StatusErrors;
import java.util.ArrayList;
import java.util.List;

/**
 * spec.ipFamilyPolicy and spec.ipFamilies of a single-stack IPv4 cluster, as kube's
 * initIPFamilyFields: defaulted to SingleStack and [IPv4]; IPv6 and RequireDualStack are refused.
 */
final class IpFamilies {
  private static final List<String> POLICIES = List.of("PreferDualStack", "RequireDualStack", "SingleStack");

  private IpFamilies() {}

  static void defaultAndCheck(ObjectNode spec, String name) {
    List<FieldError> errs = new ArrayList<>();
    String policy = spec.path("ipFamilyPolicy").asText("");
    if (policy.isEmpty()) {
      spec.put("ipFamilyPolicy", "SingleStack");
    } else if (!POLICIES.contains(policy)) {
      errs.add(FieldError.notSupported("spec.ipFamilyPolicy", policy, POLICIES));
    } else if (policy.equals("RequireDualStack")) {
      errs.add(FieldError.invalid("spec.ipFamilyPolicy", policy, "this cluster is not configured for dual-stack services"));
    }
    JsonNode families = spec.path("ipFamilies");
    for (int i = 0; i < families.size(); i++) {
      String f = families.get(i).asText();
      if (!f.equals("IPv4")) {
        errs.add(f.equals("IPv6")
            ? FieldError.invalid("spec.ipFamilies[" + i + "]", f, "not configured on this cluster")
            : FieldError.notSupported("spec.ipFamilies[" + i + "]", f, List.of("IPv4", "IPv6")));
      }
    }
    String ip = spec.path("clusterIP").asText("");
    if (!ip.isEmpty() && !ip.equals("None") && ip.contains(":")) {
      errs.add(FieldError.invalid("spec.ipFamilies[0]", "IPv6", "not configured on this cluster"));
    }
    if (!errs.isEmpty()) {
      throw StatusErrors.invalid("", "Service", name, errs);
    }
    if (families.isEmpty()) {
      spec.putArray("ipFamilies").add("IPv4");
    }
  }
}
