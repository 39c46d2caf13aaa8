package io.capstan.apiserver.registry.strategy;

import io.capstan.apiserver.validation.Names;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Validation of {@code metadata} shared by every kind: name, labels, annotations. */
public final class MetadataValidation {
  private static final String NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final String LABEL_VALUE_FMT = "(" + NAME_FMT + ")?";
  private static final Pattern QUALIFIED_NAME = Pattern.compile(NAME_FMT);
  private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);
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
    errs.addAll(labels(meta.get("labels"), "metadata.labels"));
    errs.addAll(annotations(meta.get("annotations"), "metadata.annotations"));
    return errs;
  }

  /** Label keys must be qualified names and values valid label values, as ValidateLabels. */
  static List<FieldError> labels(JsonNode labels, String path) {
    List<FieldError> errs = new ArrayList<>();
    if (labels == null || !labels.isObject()) {
      return errs;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      qualifiedNameErrors(e.getKey()).forEach(m -> errs.add(FieldError.invalid(path, e.getKey(), m)));
      String v = e.getValue().asText();
      labelValueErrors(v).forEach(m -> errs.add(FieldError.invalid(path, v, m)));
    }
    return errs;
  }

  static List<FieldError> annotations(JsonNode annotations, String path) {
    List<FieldError> errs = new ArrayList<>();
    if (annotations == null || !annotations.isObject()) {
      return errs;
    }
    long total = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = annotations.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey().toLowerCase(Locale.ROOT);
      qualifiedNameErrors(key).forEach(m -> errs.add(FieldError.invalid(path, e.getKey(), m)));
      total += e.getKey().length() + e.getValue().asText().length();
    }
    if (total > MAX_ANNOTATIONS_BYTES) {
      errs.add(new FieldError(FieldError.Type.TOO_LONG, path, null,
          "must have at most " + MAX_ANNOTATIONS_BYTES + " bytes"));
    }
    return errs;
  }

  /** A label or annotation key: optional DNS subdomain prefix and '/', then a name of up to 63. */
  static List<FieldError> qualifiedName(String field, String key) {
    List<FieldError> errs = new ArrayList<>();
    qualifiedNameErrors(key).forEach(m -> errs.add(FieldError.invalid(field, key, m)));
    return errs;
  }

  /** apimachinery's IsQualifiedName messages. */
  static List<String> qualifiedNameErrors(String key) {
    List<String> msgs = new ArrayList<>();
    String[] parts = key.split("/", -1);
    String name;
    if (parts.length == 1) {
      name = parts[0];
    } else if (parts.length == 2) {
      String prefix = parts[0];
      name = parts[1];
      if (prefix.isEmpty()) {
        msgs.add("prefix part must be non-empty");
      } else {
        Names.check("", prefix, Names.Format.SUBDOMAIN).forEach(e -> msgs.add("prefix part " + e.detail()));
      }
    } else {
      msgs.add("a qualified name " + regexError("must consist of alphanumeric characters, '-', '_' or '.', and "
          + "must start and end with an alphanumeric character", NAME_FMT, "MyName", "my.name", "123-abc")
          + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return msgs;
    }
    if (name.isEmpty()) {
      msgs.add("name part must be non-empty");
    } else if (name.length() > 63) {
      msgs.add("name part must be no more than 63 characters");
    }
    if (!QUALIFIED_NAME.matcher(name).matches()) {
      msgs.add("name part " + regexError("must consist of alphanumeric characters, '-', '_' or '.', and must "
          + "start and end with an alphanumeric character", NAME_FMT, "MyName", "my.name", "123-abc"));
    }
    return msgs;
  }

  /** apimachinery's IsValidLabelValue messages. */
  static List<String> labelValueErrors(String v) {
    List<String> msgs = new ArrayList<>();
    if (v.length() > 63) {
      msgs.add("must be no more than 63 characters");
    }
    if (!LABEL_VALUE.matcher(v).matches()) {
      msgs.add(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', "
          + "'_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE_FMT, "MyValue",
          "my_value", "12345"));
    }
    return msgs;
  }

  /** The "(e.g. 'a',  or 'b', regex used for validation is '...')" suffix apimachinery appends. */
  static String regexError(String msg, String fmt, String... examples) {
    StringBuilder sb = new StringBuilder(msg);
    if (examples.length > 0) {
      sb.append(" (e.g. ");
      for (int i = 0; i < examples.length; i++) {
        sb.append(i == 0 ? "" : ",  or ").append('\'').append(examples[i]).append('\'');
      }
      sb.append(", ");
    } else {
      sb.append(" (");
    }
    return sb.append("regex used for validation is '").append(fmt).append("')").toString();
  }
}
