package io.capstan.apiserver.registry.strategy;

import io.capstan.apiserver.validation.Names;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Secrets and ConfigMaps: data keys must be valid; secret data is base64 and stringData is merged
 * into data on write (as kube-apiserver's conversion does); secret type defaults to Opaque.
 */
public final class SecretStrategy implements Strategy {
  private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  private final boolean secret;

  public SecretStrategy(boolean secret) {
    this.secret = secret;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    if (!secret) {
      return;
    }
    obj.putIfAbsent("type", obj.textNode("Opaque"));
    JsonNode stringData = obj.remove("stringData");
    if (stringData != null && stringData.isObject()) {
      ObjectNode data = obj.withObject("/data");
      stringData.fields().forEachRemaining(e -> data.put(e.getKey(),
          Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errs = new ArrayList<>(MetadataValidation.validate(obj, Names.Format.SUBDOMAIN));
    for (String field : secret ? List.of("data") : List.of("data", "binaryData")) {
      JsonNode data = obj.get(field);
      if (data == null || !data.isObject()) {
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().length() > 253 || !KEY.matcher(e.getKey()).matches()) {
          errs.add(FieldError.invalid(field, e.getKey(), "a valid config key must consist of alphanumeric "
              + "characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for "
              + "validation is '" + KEY.pattern() + "')"));
        }
        if ((secret || field.equals("binaryData")) && !isBase64(e.getValue().asText())) {
          errs.add(FieldError.invalid(field + "[" + e.getKey() + "]", "<value omitted>", "illegal base64 data"));
        }
      }
    }
    return errs;
  }

  private static boolean isBase64(String s) {
    try {
      Base64.getDecoder().decode(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
