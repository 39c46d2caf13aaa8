package io.capstan.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.validation.Names;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** spec.conversion of a CRD (v1 {@code conversion.webhook} reported under the internal names) and API approval. */
final class CrdConversion {
  private static final String APPROVAL = "api-approved.kubernetes.io";
  private static final String URL_FORM = "; desired format: https://host[/path]";

  private CrdConversion() {}

  static void validate(JsonNode spec, List<FieldError> errs) {
    JsonNode conversion = spec.get("conversion");
    if (conversion == null || conversion.isNull()) {
      return;
    }
    String strategy = CrdValidation.text(conversion, "strategy");
    if (!strategy.isEmpty() && !strategy.equals("None") && spec.path("preserveUnknownFields").asBoolean(false)) {
      errs.add(FieldError.invalid("spec.conversion.strategy", strategy, "must be None if spec.preserveUnknownFields is true"));
    }
    if (strategy.isEmpty()) {
      errs.add(FieldError.required("spec.conversion.strategy", ""));
    } else if (!strategy.equals("None") && !strategy.equals("Webhook")) {
      errs.add(FieldError.notSupported("spec.conversion.strategy", strategy, List.of("None", "Webhook")));
    }
    JsonNode clientConfig = conversion.path("webhook").get("clientConfig");
    boolean hasConfig = clientConfig != null && !clientConfig.isNull();
    JsonNode reviewVersions = conversion.path("webhook").path("conversionReviewVersions");
    String cc = "spec.conversion.webhookClientConfig";
    if (strategy.equals("Webhook")) {
      if (!hasConfig) {
        errs.add(FieldError.required(cc, "required when strategy is set to Webhook"));
      } else {
        boolean hasUrl = clientConfig.hasNonNull("url");
        boolean hasService = clientConfig.hasNonNull("service");
        if (hasUrl == hasService) {
          errs.add(FieldError.required(cc, "exactly one of url or service is required"));
        } else if (hasUrl) {
          url(clientConfig.get("url").asText(), cc + ".url", errs);
        } else {
          service(clientConfig.get("service"), cc + ".service", errs);
        }
      }
      reviewVersions(reviewVersions, "spec.conversion.conversionReviewVersions", errs);
    } else {
      if (hasConfig) {
        errs.add(FieldError.forbidden(cc, "should not be set when strategy is not set to Webhook"));
      }
      if (!reviewVersions.isEmpty()) {
        errs.add(FieldError.forbidden("spec.conversion.conversionReviewVersions",
            "should not be set when strategy is not set to Webhook"));
      }
    }
  }

  private static void url(String s, String p, List<FieldError> errs) {
    URI u;
    try {
      u = new URI(s);
    } catch (URISyntaxException e) {
      errs.add(FieldError.required(p, "url must be a valid URL: " + e.getMessage() + URL_FORM));
      return;
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme();
    if (!scheme.equals("https")) {
      errs.add(FieldError.invalid(p, scheme, "'https' is the only allowed URL scheme" + URL_FORM));
    }
    String host = u.getRawAuthority() == null ? "" : u.getRawAuthority().replaceFirst("^.*@", "");
    if (host.isEmpty()) {
      errs.add(FieldError.invalid(p, host, "host must be specified" + URL_FORM));
    }
    if (u.getRawUserInfo() != null) {
      errs.add(FieldError.invalid(p, u.getRawUserInfo(), "user information is not permitted in the URL"));
    }
    if (u.getRawFragment() != null && !u.getRawFragment().isEmpty()) {
      errs.add(FieldError.invalid(p, u.getRawFragment(), "fragments are not permitted in the URL"));
    }
    if (u.getRawQuery() != null && !u.getRawQuery().isEmpty()) {
      errs.add(FieldError.invalid(p, u.getRawQuery(), "query parameters are not permitted in the URL"));
    }
  }

  private static void service(JsonNode svc, String p, List<FieldError> errs) {
    if (CrdValidation.text(svc, "name").isEmpty()) {
      errs.add(FieldError.required(p + ".name", "service name is required"));
    }
    if (CrdValidation.text(svc, "namespace").isEmpty()) {
      errs.add(FieldError.required(p + ".namespace", "service namespace is required"));
    }
    long port = svc.path("port").asLong(443);
    if (port < 1 || port > 65535) {
      errs.add(FieldError.invalid(p + ".port", port, "port is not valid: must be between 1 and 65535, inclusive"));
    }
    JsonNode path = svc.get("path");
    if (path != null && path.isTextual() && !path.asText().startsWith("/")) {
      errs.add(FieldError.invalid(p + ".path", path.asText(), "must start with a '/'"));
    }
  }

  private static void reviewVersions(JsonNode versions, String p, List<FieldError> errs) {
    if (versions.isEmpty()) {
      errs.add(FieldError.required(p, ""));
      return;
    }
    Set<String> seen = new HashSet<>();
    boolean accepted = false;
    for (int i = 0; i < versions.size(); i++) {
      String v = versions.get(i).asText("");
      if (!seen.add(v)) {
        errs.add(FieldError.invalid(Paths.index(p, i), v, "duplicate version"));
        continue;
      }
      for (String m : CrdValidation.dns(Names.Format.DNS1035_LABEL, v)) {
        errs.add(FieldError.invalid(Paths.index(p, i), v, m));
      }
      accepted |= v.equals("v1") || v.equals("v1beta1");
    }
    if (!accepted) {
      errs.add(FieldError.invalid(p, versions, "must include at least one of v1, v1beta1"));
    }
  }

  /** Groups under k8s.io and kubernetes.io need the api-approved.kubernetes.io annotation. */
  static void apiApproval(JsonNode crd, String group, List<FieldError> errs) {
    boolean protectedGroup = group.equals("k8s.io") || group.endsWith(".k8s.io")
        || group.equals("kubernetes.io") || group.endsWith(".kubernetes.io");
    if (!protectedGroup) {
      return;
    }
    String p = "metadata.annotations[" + APPROVAL + "]";
    String value = crd.path("metadata").path("annotations").path(APPROVAL).asText("");
    if (value.isEmpty()) {
      errs.add(FieldError.required(p, "protected groups must have approval annotation \"" + APPROVAL
          + "\", see https://github.com/kubernetes/enhancements/pull/1111"));
    } else if (!value.startsWith("unapproved") && !isUrlWithHost(value)) {
      errs.add(FieldError.invalid(p, value, "protected groups must have approval annotation \"" + APPROVAL
          + "\" with either a URL or a reason starting with \"unapproved\", see https://github.com/kubernetes/enhancements/pull/1111"));
    }
  }

  private static boolean isUrlWithHost(String s) {
    try {
      URI u = new URI(s);
      return u.getScheme() != null && u.getHost() != null && !u.getHost().isEmpty();
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
