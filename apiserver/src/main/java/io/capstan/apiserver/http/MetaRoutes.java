package io.capstan.apiserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.Version;
import io.capstan.apiserver.discovery.Discovery;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.openapi.OpenApiV3;
import io.capstan.apiserver.resources.ResourceCatalog;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Health, /version, discovery (legacy and aggregated v2) and OpenAPI v3. */
final class MetaRoutes {
  private static final String AGGREGATED = Discovery.AGGREGATED_MEDIA_TYPE;
  private final Discovery discovery;
  private final OpenApiV3 openApi;
  private final BooleanSupplier ready;

  MetaRoutes(ResourceCatalog catalog, BooleanSupplier ready) {
    this.discovery = new Discovery(catalog);
    this.openApi = new OpenApiV3(catalog);
    this.ready = ready;
  }

  void mount(Router router) {
    router.get("/healthz").handler(ctx -> text(ctx.response(), 200, "ok"));
    router.get("/livez").handler(ctx -> text(ctx.response(), 200, "ok"));
    router.get("/readyz").handler(ctx -> {
      boolean ok = ready.getAsBoolean();
      text(ctx.response(), ok ? 200 : 503, ok ? "ok" : "not ready");
    });
    router.getWithRegex("^/version/?$").handler(ctx -> Responses.json(ctx.response(), 200, Version.info()));
    router.getWithRegex("^/api/?$").handler(ctx -> {
      if (wantsAggregated(ctx.request())) {
        cached(ctx, discovery.aggregatedCore(), AGGREGATED);
      } else {
        cached(ctx, discovery.apiVersions(ctx.request().host()), Responses.JSON);
      }
    });
    router.getWithRegex("^/apis/?$").handler(ctx -> {
      if (wantsAggregated(ctx.request())) {
        cached(ctx, discovery.aggregatedGroups(), AGGREGATED);
      } else {
        cached(ctx, discovery.apiGroupList(), Responses.JSON);
      }
    });
    router.getWithRegex("^/api/([^/]+)/?$").handler(ctx -> found(ctx, discovery.apiResourceList("", ctx.pathParam("param0"))));
    router.getWithRegex("^/apis/([^/]+)/?$").handler(ctx -> found(ctx, discovery.apiGroup(ctx.pathParam("param0"))));
    router.getWithRegex("^/apis/([^/]+)/([^/]+)/?$").handler(ctx ->
        found(ctx, discovery.apiResourceList(ctx.pathParam("param0"), ctx.pathParam("param1"))));
    router.getWithRegex("^/openapi/v3/?$").handler(ctx -> cached(ctx, openApi.root(), Responses.JSON));
    router.getWithRegex("^/openapi/v3/(.+)$").handler(this::openApiDocument);
  }

  private void openApiDocument(RoutingContext ctx) {
    String gv = ctx.pathParam("param0");
    Optional<OpenApiV3.Document> doc = openApi.get(gv);
    if (doc.isEmpty()) {
      Responses.error(ctx.response(), StatusErrors.pathNotFound());
      return;
    }
    String hash = doc.get().hash();
    String etag = "\"" + hash + "\"";
    HttpServerResponse res = ctx.response().putHeader("ETag", etag).putHeader("Vary", "Accept");
    if (hash.equals(ctx.request().getParam("hash"))) {
      res.putHeader("Cache-Control", "public, immutable").putHeader("Expires", "Fri, 01 Jan 2100 00:00:00 GMT");
    }
    if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
      res.setStatusCode(304).end();
      return;
    }
    res.setStatusCode(200).putHeader("Content-Type", Responses.JSON).end(Buffer.buffer(doc.get().json()));
  }

  private static boolean wantsAggregated(HttpServerRequest req) {
    return Discovery.acceptsAggregated(req.getHeader("Accept"));
  }

  private void cached(RoutingContext ctx, ObjectNode body, String contentType) {
    String etag = Discovery.etag(body);
    HttpServerResponse res = ctx.response().putHeader("ETag", etag).putHeader("Vary", "Accept");
    if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
      res.setStatusCode(304).end();
      return;
    }
    Responses.json(res, 200, body, contentType);
  }

  private static void found(RoutingContext ctx, Optional<ObjectNode> body) {
    if (body.isPresent()) {
      Responses.json(ctx.response(), 200, body.get());
    } else {
      Responses.error(ctx.response(), StatusErrors.pathNotFound());
    }
  }

  private static void text(HttpServerResponse res, int code, String body) {
    res.setStatusCode(code).putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
  }

}
