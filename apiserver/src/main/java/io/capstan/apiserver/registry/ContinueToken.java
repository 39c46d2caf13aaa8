package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code continue} token of a paged list, shaped as kube-apiserver's: base64url of
 * {@code {"v":"meta.k8s.io/v1","rv":REV,"start":"KEY-SUFFIX\u0000"}}, so the next page reads from
 * just after the last key at the first page's revision.
 */
public record ContinueToken(long revision, String startKeySuffix) {

  public String encode() {
    ObjectNode n = Json.object().put("v", "meta.k8s.io/v1").put("rv", revision).put("start", startKeySuffix);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(n));
  }

  /** @throws io.capstan.apiserver.errors.ApiException 400 for a token this server did not make */
  public static ContinueToken decode(String token) {
    try {
      byte[] raw = Base64.getUrlDecoder().decode(token.replace('+', '-').replace('/', '_').replace("=", ""));
      ObjectNode n = Json.parseObject(raw);
      if (!"meta.k8s.io/v1".equals(n.path("v").asText()) || !n.has("rv") || !n.has("start")) {
        throw new IllegalArgumentException("unknown token version");
      }
      String start = n.get("start").asText();
      if (start.contains("..") || start.startsWith("/")) {
        throw new IllegalArgumentException("bad start key");
      }
      return new ContinueToken(n.get("rv").asLong(), start);
    } catch (RuntimeException e) {
      throw StatusErrors.badRequest("continue key is not valid: " + new String(token.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }
  }
}
