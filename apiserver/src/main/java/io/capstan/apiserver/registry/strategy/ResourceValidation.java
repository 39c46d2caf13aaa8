package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.errors.FieldError;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A container's {@code resources}: resource names, quantities, and requests not above limits. */
final class ResourceValidation {
  private static final List<String> STANDARD = List.of("cpu", "memory", "ephemeral-storage");

  private ResourceValidation() {}

  static void validate(JsonNode resources, String path, List<FieldError> errs) {
    if (!Checks.present(resources)) {
      return;
    }
    JsonNode limits = resources.path("limits");
    JsonNode requests = resources.path("requests");
    String limPath = path + ".limits";
    String reqPath = path + ".requests";
    for (Map.Entry<String, BigDecimal> e : quantities(limits, limPath, errs).entrySet()) {
      name(e.getKey(), limPath + "[" + e.getKey() + "]", errs);
    }
    Map<String, BigDecimal> limitValues = parsed(limits);
    for (Map.Entry<String, BigDecimal> e : quantities(requests, reqPath, errs).entrySet()) {
      String resource = e.getKey();
      name(resource, reqPath + "[" + resource + "]", errs);
      BigDecimal limit = limitValues.get(resource);
      String shown = Quantities.display(requests.get(resource));
      if (limit != null) {
        String limitShown = Quantities.display(limits.get(resource));
        int cmp = e.getValue().compareTo(limit);
        if (cmp != 0 && !overcommitAllowed(resource)) {
          errs.add(FieldError.invalid(reqPath, shown, "must be equal to " + resource + " limit of " + limitShown));
        } else if (cmp > 0) {
          errs.add(FieldError.invalid(reqPath, shown,
              "must be less than or equal to " + resource + " limit of " + limitShown));
        }
      } else if (!overcommitAllowed(resource)) {
        errs.add(FieldError.required(limPath, "Limit must be set for non overcommitable resources"));
      }
    }
  }

  /** Parses each quantity of a resource list, reporting the ones that are malformed or negative. */
  private static Map<String, BigDecimal> quantities(JsonNode list, String path, List<FieldError> errs) {
    Map<String, BigDecimal> out = new LinkedHashMap<>();
    for (String resource : Checks.keys(list)) {
      JsonNode q = list.get(resource);
      String at = path + "[" + resource + "]";
      BigDecimal value = Quantities.parse(q);
      if (value == null) {
        errs.add(FieldError.invalid(at, q.asText(), Quantities.FORMAT_ERROR));
        continue;
      }
      if (value.signum() < 0) {
        errs.add(FieldError.invalid(at, Quantities.display(q), Checks.NON_NEGATIVE));
      }
      out.put(resource, value);
    }
    return out;
  }

  private static Map<String, BigDecimal> parsed(JsonNode list) {
    Map<String, BigDecimal> out = new HashMap<>();
    for (String resource : Checks.keys(list)) {
      BigDecimal v = Quantities.parse(list.get(resource));
      if (v != null) {
        out.put(resource, v);
      }
    }
    return out;
  }

  private static void name(String resource, String path, List<FieldError> errs) {
    List<String> msgs = MetadataValidation.qualifiedNameErrors(resource);
    if (!msgs.isEmpty()) {
      msgs.forEach(m -> errs.add(FieldError.invalid(path, resource, m)));
      return;
    }
    if (!resource.contains("/")) {
      if (!STANDARD.contains(resource) && !resource.startsWith("hugepages-")) {
        errs.add(FieldError.invalid(path, resource, "must be a standard resource for containers"));
      }
    } else if (!isNative(resource) && resource.startsWith("requests.")) {
      errs.add(FieldError.invalid(path, resource, "doesn't follow extended resource name standard"));
    }
  }

  private static boolean isNative(String resource) {
    return !resource.contains("/") || resource.contains("kubernetes.io/");
  }

  /** Requests may be below limits for native resources other than hugepages. */
  private static boolean overcommitAllowed(String resource) {
    return isNative(resource) && !resource.startsWith("hugepages-");
  }
}
