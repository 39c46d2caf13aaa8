package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Validation of {@code metadata} shared by every kind: name, labels, annotations. */
public final class MetadataValidation {
  private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern PREFIX = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final long MAX_ANNOTATIONS_BYTES = 256 * 1024;

  private MetadataValidation() {}

  public static List<FieldError> validate(ObjectNode obj, Names.Format nameFormat) {
    List<FieldError> errs = new ArrayList<>();
    ObjectNode meta = Json.metadata(obj);
    String name = meta.path("name").asText("");
    if (name.isEmpty()) {
      errs.add(FieldError.required("metadata.name", "name or generateName is required"));
    } else {
      errs.addAll(Names.check("metadata.name", name, nameFormat));
    }
    errs.addAll(labels(meta.get("labels")));
    errs.addAll(annotations(meta.get("annotations")));
    return errs;
  }

  private static List<FieldError> labels(JsonNode labels) {
    List<FieldError> errs = new ArrayList<>();
    if (labels == null || !labels.isObject()) {
      return errs;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      errs.addAll(qualifiedName("metadata.labels", e.getKey()));
      String v = e.getValue().asText();
      if (v.length() > 63 || !LABEL_VALUE.matcher(v).matches()) {
        errs.add(FieldError.invalid("metadata.labels", v, "a valid label must be an empty string or consist of "
            + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
      }
    }
    return errs;
  }

  private static List<FieldError> annotations(JsonNode annotations) {
    List<FieldError> errs = new ArrayList<>();
    if (annotations == null || !annotations.isObject()) {
      return errs;
    }
    long total = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = annotations.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      errs.addAll(qualifiedName("metadata.annotations", e.getKey().toLowerCase(java.util.Locale.ROOT)));
      total += e.getKey().length() + e.getValue().asText().length();
    }
    if (total > MAX_ANNOTATIONS_BYTES) {
      errs.add(new FieldError(FieldError.Type.TOO_LONG, "metadata.annotations", null,
          "must have at most " + MAX_ANNOTATIONS_BYTES + " bytes"));
    }
    return errs;
  }

  /** A label or annotation key: optional DNS subdomain prefix and '/', then a name of up to 63. */
  static List<FieldError> qualifiedName(String field, String key) {
    String name = key;
    int slash = key.indexOf('/');
    boolean ok = true;
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      ok = !prefix.isEmpty() && prefix.length() <= 253 && PREFIX.matcher(prefix).matches();
    }
    ok = ok && !name.isEmpty() && name.length() <= 63 && QUALIFIED_NAME.matcher(name).matches();
    if (!ok) {
      return List.of(FieldError.invalid(field, key, "name part must consist of alphanumeric characters, '-', '_' "
          + "or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
          + "'123-abc'), with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"));
    }
    return List.of();
  }
}
