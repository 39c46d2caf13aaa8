package io.capstan.apiserver.http;

import io.vertx.core.http.HttpServerRequest;

/** What the client asked to receive: plain JSON or a meta.k8s.io Table. */
final class Negotiation {
  static final String TABLE_CONTENT_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io";

  private Negotiation() {}

  /** Whether Accept asks for a Table (v1 or v1beta1, both answered with v1). */
  static boolean wantsTable(HttpServerRequest req) {
    String accept = req.getHeader("Accept");
    if (accept == null) {
      return false;
    }
    for (String part : accept.split(",")) {
      String p = part.replace(" ", "");
      if (p.contains("as=Table") && p.contains("g=meta.k8s.io")) {
        return true;
      }
    }
    return false;
  }

  static boolean wantsWebSocket(HttpServerRequest req) {
    String upgrade = req.getHeader("Upgrade");
    return upgrade != null && upgrade.equalsIgnoreCase("websocket");
  }
}
