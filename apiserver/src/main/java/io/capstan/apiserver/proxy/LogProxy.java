package io.capstan.apiserver.proxy;

import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.errors.StatusErrors;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;

/**
 * {@code pods/log}: a GET to the agent's {@code /containerLogs}, whose answer (status, content
 * type, body) is piped to the client as it arrives, with back-pressure (the agent's connection is
 * paused while the client is slow) and never held whole. A client that goes away resets the
 * agent's request, which ends a follow on the agent.
 */
final class LogProxy {
  private LogProxy() {}

  static void proxy(HttpClient http, AgentTarget t, RoutingContext ctx,
      BiConsumer<HttpServerResponse, ApiException> errors) {
    HttpServerResponse res = ctx.response();
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(t.port())
        .setURI(t.pathAndQuery()).putHeader("X-Capstan-Node-Secret", t.secret());
    http.request(o).compose(req -> {
      res.closeHandler(v -> req.reset());
      return req.send();
    }).onSuccess(agent -> {
      res.setStatusCode(agent.statusCode());
      String type = agent.getHeader("Content-Type");
      if (type != null) {
        res.putHeader("Content-Type", type);
      }
      res.setChunked(true);
      agent.pipeTo(res).onFailure(e -> agent.request().reset());
    }).onFailure(e -> {
      if (!res.headWritten()) {
        errors.accept(res, StatusErrors.unavailable("error dialing the node agent of \"" + t.node()
            + "\" at 127.0.0.1:" + t.port() + ": " + e.getMessage()));
      } else {
        res.reset();
      }
    });
  }

}
