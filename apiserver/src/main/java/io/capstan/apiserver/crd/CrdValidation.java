package io.capstan.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.validation.Names;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Validation and defaulting of a CustomResourceDefinition (apiextensions.k8s.io/v1) on create, with
 * apiextensions-apiserver's paths and messages. Like upstream, which validates its internal form,
 * per-version schemas, subresources and printer columns that are identical in every version are
 * reported at the top level ({@code spec.validation.openAPIV3Schema...}, {@code
 * spec.subresources...}, {@code spec.additionalPrinterColumns[0]...}); differing ones under {@code
 * spec.versions[i]...}. Conversion settings use the internal names ({@code
 * spec.conversion.webhookClientConfig}, {@code spec.conversion.conversionReviewVersions}).
 */
public final class CrdValidation {
  private CrdValidation() {}

  /**
   * The errors of {@code crd} as created (run {@link #applyDefaults} first, as upstream defaults
   * before validating). Covers metadata.name (required, DNS subdomain, {@code <plural>.<group>})
   * but not the rest of metadata, nor status.
   */
  public static List<FieldError> validate(JsonNode crd) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    String group = text(spec, "group");
    String name = text(crd.path("metadata"), "name");
    if (name.isEmpty()) {
      errs.add(FieldError.required("metadata.name", "name or generateName is required"));
    } else {
      dns(Names.Format.SUBDOMAIN, name).forEach(m -> errs.add(FieldError.invalid("metadata.name", name, m)));
      if (!name.equals(text(names, "plural") + "." + group)) {
        errs.add(FieldError.invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
      }
    }
    if (group.isEmpty()) {
      errs.add(FieldError.required("spec.group", ""));
    } else if (!dns(Names.Format.SUBDOMAIN, group).isEmpty()) {
      errs.add(FieldError.invalid("spec.group", group, String.join(",", dns(Names.Format.SUBDOMAIN, group))));
    } else if (!group.contains(".")) {
      errs.add(FieldError.invalid("spec.group", group, "should be a domain with at least one dot"));
    }
    String scope = text(spec, "scope");
    if (scope.isEmpty()) {
      errs.add(FieldError.required("spec.scope", ""));
    } else if (!scope.equals("Cluster") && !scope.equals("Namespaced")) {
      errs.add(FieldError.notSupported("spec.scope", scope, List.of("Cluster", "Namespaced")));
    }
    versions(spec, errs);
    for (String n : List.of("plural", "singular", "kind", "listKind")) {
      if (text(names, n).isEmpty()) {
        errs.add(FieldError.required("spec.names." + n, ""));
      }
    }
    errs.addAll(validateNames(names, "spec.names"));
    CrdVersionParts.topLevel(spec, errs);
    CrdConversion.validate(spec, errs);
    if (spec.path("preserveUnknownFields").asBoolean(false)) {
      errs.add(FieldError.invalid("spec.preserveUnknownFields", true,
          "cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead"));
    }
    CrdConversion.apiApproval(crd, group, errs);
    return errs;
  }

  /**
   * The errors of an update from {@code oldCrd} to {@code crd}: those of {@link #validate} plus
   * the immutability of spec.group and spec.names.plural, and, once the old CRD is Established,
   * of spec.scope and spec.names.kind.
   */
  public static List<FieldError> validateUpdate(JsonNode crd, JsonNode oldCrd) {
    List<FieldError> errs = validate(crd);
    JsonNode spec = crd.path("spec");
    JsonNode oldSpec = oldCrd.path("spec");
    boolean established = false;
    for (JsonNode c : oldCrd.path("status").path("conditions")) {
      established |= text(c, "type").equals("Established") && text(c, "status").equals("True");
    }
    if (established) {
      immutable("spec.scope", text(spec, "scope"), text(oldSpec, "scope"), errs);
      immutable("spec.names.kind", text(spec.path("names"), "kind"), text(oldSpec.path("names"), "kind"), errs);
    }
    immutable("spec.group", text(spec, "group"), text(oldSpec, "group"), errs);
    immutable("spec.names.plural", text(spec.path("names"), "plural"), text(oldSpec.path("names"), "plural"), errs);
    return errs;
  }

  private static void immutable(String path, String value, String old, List<FieldError> errs) {
    if (!value.equals(old)) {
      errs.add(FieldError.invalid(path, value, "field is immutable"));
    }
  }

  /**
   * The v1 defaults: names.singular = lower(kind), names.listKind = kind + "List", conversion
   * strategy None, webhook service port 443.
   */
  public static void applyDefaults(ObjectNode crd) {
    if (!(crd.get("spec") instanceof ObjectNode spec)) {
      return;
    }
    ObjectNode names = spec.get("names") instanceof ObjectNode n ? n : spec.putObject("names");
    String kind = text(names, "kind");
    if (text(names, "singular").isEmpty()) {
      names.put("singular", kind.toLowerCase(Locale.ROOT));
    }
    if (text(names, "listKind").isEmpty() && !kind.isEmpty()) {
      names.put("listKind", kind + "List");
    }
    if (!(spec.get("conversion") instanceof ObjectNode conversion)) {
      spec.putObject("conversion").put("strategy", "None");
    } else if (conversion.path("webhook").path("clientConfig").path("service") instanceof ObjectNode svc
        && !svc.has("port")) {
      svc.put("port", 443);
    }
  }

  /** The rules of spec.names (or status.acceptedNames) under {@code path}, for non-empty names. */
  static List<FieldError> validateNames(JsonNode names, String path) {
    List<FieldError> errs = new ArrayList<>();
    for (String n : List.of("plural", "singular")) {
      String v = text(names, n);
      if (!v.isEmpty() && !dns(Names.Format.DNS1035_LABEL, v).isEmpty()) {
        errs.add(FieldError.invalid(path + "." + n, v, String.join(",", dns(Names.Format.DNS1035_LABEL, v))));
      }
    }
    for (String n : List.of("kind", "listKind")) {
      String v = text(names, n);
      List<String> msgs = v.isEmpty() ? List.of() : dns(Names.Format.DNS1035_LABEL, v.toLowerCase(Locale.ROOT));
      if (!msgs.isEmpty()) {
        errs.add(FieldError.invalid(path + "." + n, v, "may have mixed case, but should otherwise match: " + String.join(",", msgs)));
      }
    }
    labels(names.path("shortNames"), path + ".shortNames", errs);
    String kind = text(names, "kind");
    if (!kind.isEmpty() && kind.equals(text(names, "listKind"))) {
      errs.add(FieldError.invalid(path + ".listKind", kind, "kind and listKind may not be the same"));
    }
    labels(names.path("categories"), path + ".categories", errs);
    return errs;
  }

  private static void labels(JsonNode list, String path, List<FieldError> errs) {
    for (int i = 0; i < list.size(); i++) {
      String v = list.get(i).asText("");
      List<String> msgs = dns(Names.Format.DNS1035_LABEL, v);
      if (!msgs.isEmpty()) {
        errs.add(FieldError.invalid(Paths.index(path, i), v, String.join(",", msgs)));
      }
    }
  }

  private static void versions(JsonNode spec, List<FieldError> errs) {
    JsonNode versions = spec.path("versions");
    for (int i = 0; i < versions.size(); i++) {
      if (versions.get(i).path("schema").path("openAPIV3Schema").isMissingNode()
          || versions.get(i).path("schema").path("openAPIV3Schema").isNull()) {
        errs.add(FieldError.required("spec.versions[" + i + "].schema.openAPIV3Schema", ""));
      }
    }
    int storage = 0;
    boolean served = false;
    Set<String> seen = new HashSet<>();
    boolean unique = true;
    for (int i = 0; i < versions.size(); i++) {
      JsonNode v = versions.get(i);
      String vp = "spec.versions[" + i + "]";
      storage += v.path("storage").asBoolean(false) ? 1 : 0;
      served |= v.path("served").asBoolean(false);
      unique &= seen.add(text(v, "name"));
      List<String> msgs = dns(Names.Format.DNS1035_LABEL, text(v, "name"));
      if (!msgs.isEmpty()) {
        errs.add(FieldError.invalid(vp + ".name", text(v, "name"), String.join(",", msgs)));
      }
      CrdVersionParts.perVersion(spec, i, errs);
    }
    if (!unique) {
      errs.add(FieldError.invalid("spec.versions", versions, "must contain unique version names"));
    }
    if (storage != 1) {
      errs.add(FieldError.invalid("spec.versions", versions, "must have exactly one version marked as storage version"));
    }
    if (versions.size() > 0 && !served) {
      errs.add(FieldError.invalid("spec.versions", versions, "must have at least one version marked as served"));
    }
    if (versions.size() > 0) {
      String first = text(versions.get(0), "name");
      List<String> msgs = dns(Names.Format.DNS1035_LABEL, first);
      if (!first.isEmpty() && !msgs.isEmpty()) {
        errs.add(FieldError.invalid("spec.version", first, String.join(",", msgs)));
      }
    }
  }

  /** The messages apimachinery's IsDNS1123Subdomain / IsDNS1035Label give for {@code value}. */
  static List<String> dns(Names.Format format, String value) {
    return Names.check("", value, format).stream().map(FieldError::detail).toList();
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.asText() : "";
  }
}
