package io.capstan.apiserver.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/** Writes JSON answers and Status errors. The only place that turns ApiException into HTTP. */
public final class Responses {
  static final String JSON = "application/json";

  private Responses() {}

  static void json(HttpServerResponse res, int code, Object body) {
    json(res, code, body, JSON);
  }

  static void json(HttpServerResponse res, int code, Object body, String contentType) {
    byte[] bytes = body instanceof byte[] b ? b : Json.bytes((com.fasterxml.jackson.databind.JsonNode) body);
    res.setStatusCode(code).putHeader("Content-Type", contentType).end(Buffer.buffer(bytes));
  }

  static void warnings(HttpServerResponse res, List<String> warnings) {
    for (String w : warnings) {
      res.headers().add("Warning", "299 - \"" + w.replace("\"", "\\\"") + "\"");
    }
  }

  /** The Status body of an error. */
  public static ObjectNode status(ApiException e) {
    ObjectNode s = Json.object().put("kind", "Status").put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure").put("message", e.getMessage()).put("reason", e.reason());
    ApiException.Details d = e.details();
    if (d != null || e.retryAfterSeconds() != null) {
      ObjectNode details = s.putObject("details");
      if (d != null) {
        putIfSet(details, "name", d.name());
        putIfSet(details, "group", d.group());
        putIfSet(details, "kind", d.kind());
        putIfSet(details, "uid", d.uid());
        if (d.causes() != null && !d.causes().isEmpty()) {
          ArrayNode causes = details.putArray("causes");
          for (ApiException.Cause c : d.causes()) {
            ObjectNode cn = causes.addObject().put("reason", c.reason()).put("message", c.message());
            putIfSet(cn, "field", c.field());
          }
        }
      }
      if (e.retryAfterSeconds() != null) {
        details.put("retryAfterSeconds", e.retryAfterSeconds());
      }
    }
    s.put("code", e.code());
    return s;
  }

  static void error(HttpServerResponse res, ApiException e) {
    if (res.ended() || res.headWritten()) {
      if (!res.ended()) {
        res.end();
      }
      return;
    }
    if (e.retryAfterSeconds() != null) {
      res.putHeader("Retry-After", Integer.toString(e.retryAfterSeconds()));
    }
    json(res, e.code(), status(e));
  }

  /** A Status of success, as answered to deletes of most kinds. */
  static ObjectNode success(String name, String group, String kind, String uid) {
    ObjectNode s = Json.object().put("kind", "Status").put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Success");
    ObjectNode d = s.putObject("details");
    putIfSet(d, "name", name);
    putIfSet(d, "group", group);
    putIfSet(d, "kind", kind);
    putIfSet(d, "uid", uid);
    return s;
  }

  private static void putIfSet(ObjectNode n, String field, String value) {
    if (value != null && !value.isEmpty()) {
      n.put(field, value);
    } else if (field.equals("group") && value != null) {
      n.put(field, value);
    }
  }
}
