package io.capstan.apiserver.decode;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.decode.protobuf.ProtobufBodies;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.registry.WriteOptions.FieldValidation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decodes request bodies: JSON or YAML by Content-Type, one object, and field validation as
 * kube-apiserver does it: Strict answers 400 on unknown or duplicate fields, Warn decodes and
 * reports them in Warning headers, Ignore drops them silently.
 */
public final class BodyDecoder {
  private BodyDecoder() {}

  /**
   * @param model the kind's model class for unknown-field detection, or null to skip it
   * @throws io.capstan.apiserver.errors.ApiException 400 for undecodable bodies or strict
   *     failures, 415 for media types other than JSON and YAML
   */
  public static Decoded decode(byte[] body, String contentType, Class<?> model, FieldValidation validation) {
    return decode(body, contentType, null, null, model, validation);
  }

  /**
   * As {@link #decode(byte[], String, Class, FieldValidation)}, also accepting protobuf bodies
   * ({@code application/vnd.kubernetes.protobuf}, sent by kubectl's typed create commands) of
   * the expected apiVersion and kind. Protobuf carries no unknown or duplicate fields.
   */
  public static Decoded decode(byte[] body, String contentType, String apiVersion, String kind, Class<?> model,
      FieldValidation validation) {
    String media = mediaType(contentType);
    if (media.equals(ProtobufBodies.MEDIA_TYPE) && kind != null) {
      return new Decoded(ProtobufBodies.decode(body, apiVersion, kind), List.of());
    }
    boolean yaml = media.equals("application/yaml") || media.equals("application/x-yaml") || media.equals("text/yaml");
    if (!yaml && !media.equals("application/json") && !media.isEmpty() && !media.equals("*/*")) {
      throw StatusErrors.unsupportedMediaType(contentType);
    }
    if (body == null || body.length == 0) {
      throw StatusErrors.badRequest("the request body is empty: an object was expected");
    }
    JsonNode node = parse(body, yaml, validation);
    if (!(node instanceof ObjectNode obj)) {
      throw StatusErrors.badRequest("the request body must be a JSON or YAML object, got " + node.getNodeType().toString().toLowerCase(Locale.ROOT));
    }
    List<String> warnings = new ArrayList<>();
    if (model != null && validation != FieldValidation.IGNORE) {
      List<String> unknown = KnownFields.unknown(obj, model);
      if (!unknown.isEmpty()) {
        if (validation == FieldValidation.STRICT) {
          throw StatusErrors.badRequest("strict decoding error: " + String.join(", ",
              unknown.stream().map(u -> "unknown field \"" + u + "\"").toList()));
        }
        unknown.forEach(u -> warnings.add("unknown field \"" + u + "\""));
      }
    }
    return new Decoded(obj, warnings);
  }

  /** A body that is not a kind's object (DeleteOptions, patches): lenient JSON or YAML. */
  public static JsonNode decodeAny(byte[] body, String contentType) {
    boolean yaml = mediaType(contentType).contains("yaml");
    return parse(body, yaml, FieldValidation.IGNORE);
  }

  public static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  private static JsonNode parse(byte[] body, boolean yaml, FieldValidation validation) {
    try {
      if (yaml) {
        JsonNode n = Json.YAML.readTree(body);
        if (n == null || n.isMissingNode()) {
          throw StatusErrors.badRequest("the request body is empty: an object was expected");
        }
        return n;
      }
      return (validation == FieldValidation.STRICT ? Json.STRICT : Json.MAPPER).readTree(body);
    } catch (JsonParseException e) {
      String msg = e.getOriginalMessage();
      if (msg != null && msg.startsWith("Duplicate field")) {
        String field = msg.substring(msg.indexOf('\'') + 1, msg.lastIndexOf('\''));
        throw StatusErrors.badRequest("strict decoding error: duplicate field \"" + field + "\"");
      }
      throw StatusErrors.badRequest("couldn't get version/kind; json parse error: " + oneLine(msg));
    } catch (IOException e) {
      throw StatusErrors.badRequest((yaml ? "error converting YAML to JSON: " : "json parse error: ") + oneLine(e.getMessage()));
    }
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "invalid body";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
