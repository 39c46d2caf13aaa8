package io.capstan.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.decode.BodyDecoder;
import io.capstan.apiserver.decode.Decoded;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.registry.DeleteOptions;
import io.capstan.apiserver.registry.Deleter;
import io.capstan.apiserver.registry.GcFinalizers;
import io.capstan.apiserver.registry.ListPage;
import io.capstan.apiserver.registry.Registry;
import io.capstan.apiserver.registry.WriteOptions;
import io.capstan.apiserver.registry.Written;
import io.capstan.apiserver.resources.ResourceType;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The resource endpoints: reads the verb off the method and path, decodes the body, calls the
 * registry and answers. Runs on a worker thread (storage calls block). Watches are {@link
 * WatchHandler}'s.
 */
final class ResourceHandler {
  private final Registry registry;
  private final ObjectResponses responses;
  private final Subresources subresources;
  private final ServerSideApply apply;

  ResourceHandler(Registry registry, ObjectResponses responses) {
    this.registry = registry;
    this.responses = responses;
    this.subresources = new Subresources(registry);
    this.apply = new ServerSideApply(registry);
  }

  void handle(RoutingContext ctx, ResourcePath p, ResourceType type) {
    HttpServerRequest req = ctx.request();
    HttpMethod m = req.method();
    String ns = p.namespace();
    if (type.isCreateOnly()) {
      if (m != HttpMethod.POST || p.name() != null) {
        throw StatusErrors.methodNotAllowed("the server does not allow this method on the requested resource");
      }
      WriteOptions o = QueryParams.write(req.params(), req.getHeader("User-Agent"));
      Responses.json(req.response(), 201, AccessReviews.answer(decode(ctx, type, o).object()));
      return;
    }
    if (p.name() == null) {
      collection(ctx, m, type, ns);
      return;
    }
    if (type.namespaced() && ns == null) {
      throw StatusErrors.pathNotFound();
    }
    String sub = p.subresource();
    if (sub == null) {
      item(ctx, m, type, ns, p.name());
    } else if (sub.equals("status") && type.hasSubresource("status")) {
      status(ctx, m, type, ns, p.name());
    } else if (sub.equals("scale") && type.hasSubresource("scale")) {
      scale(ctx, m, type, ns, p.name());
    } else if (sub.equals("binding") && type.hasSubresource("binding") && m == HttpMethod.POST) {
      ObjectNode binding = BodyDecoder.decode(body(ctx), req.getHeader("Content-Type"), "v1", "Binding", null,
          WriteOptions.FieldValidation.IGNORE).object();
      Responses.json(req.response(), 201, subresources.bind(type, ns, p.name(), binding, QueryParams.dryRun(req.params())));
    } else if (type.hasSubresource(sub)) {
      throw new io.capstan.apiserver.errors.ApiException(404, "NotFound",
          type.plural() + "/" + sub + " is not served yet: no node agent is connected to this server", null);
    } else {
      throw StatusErrors.pathNotFound();
    }
  }

  private void collection(RoutingContext ctx, HttpMethod m, ResourceType type, String ns) {
    HttpServerRequest req = ctx.request();
    MultiMap q = req.params();
    if (m == HttpMethod.GET) {
      ListPage page = registry.list(type, ns, QueryParams.list(q));
      responses.list(req, type, page);
    } else if (m == HttpMethod.POST) {
      if (type.namespaced() && ns == null) {
        throw StatusErrors.methodNotAllowed("the server does not allow this method on the requested resource");
      }
      WriteOptions o = QueryParams.write(q, req.getHeader("User-Agent"));
      Decoded d = decode(ctx, type, o);
      Written created = registry.createWritten(type, ns, d.object(), o);
      Responses.warnings(req.response(), d.warnings());
      responses.object(req, 201, type, created.object(), created.json());
    } else if (m == HttpMethod.DELETE) {
      if (type.namespaced() && ns == null) {
        throw StatusErrors.methodNotAllowed("the server does not allow this method on the requested resource");
      }
      DeleteOptions options = QueryParams.delete(q, deleteBody(ctx));
      List<ObjectNode> deleted = registry.deleteCollection(type, ns, QueryParams.list(q), options);
      defaultPolicyWarning(req, type, options);
      ObjectNode list = Json.object().put("kind", type.listKind()).put("apiVersion", type.apiVersion());
      list.putObject("metadata");
      deleted.forEach(list.putArray("items")::add);
      Responses.json(req.response(), 200, list);
    } else {
      throw StatusErrors.methodNotAllowed("the server does not allow this method on the requested resource");
    }
  }

  private void item(RoutingContext ctx, HttpMethod m, ResourceType type, String ns, String name) {
    HttpServerRequest req = ctx.request();
    MultiMap q = req.params();
    if (m == HttpMethod.GET) {
      responses.object(req, 200, type, registry.get(type, ns, name, q.get("resourceVersion")));
    } else if (m == HttpMethod.PUT) {
      WriteOptions o = QueryParams.write(q, req.getHeader("User-Agent"));
      Decoded d = decode(ctx, type, o);
      ObjectNode updated = registry.update(type, ns, name, d.object(), o);
      Responses.warnings(req.response(), d.warnings());
      responses.object(req, 200, type, updated);
    } else if (m == HttpMethod.DELETE) {
      DeleteOptions options = QueryParams.delete(q, deleteBody(ctx));
      Deleter.Result r = registry.delete(type, ns, name, options);
      defaultPolicyWarning(req, type, options);
      boolean returnsObject = !r.removed() || type.kind().equals("Pod") || type.kind().equals("Namespace");
      if (returnsObject) {
        responses.object(req, 200, type, r.object());
      } else {
        ObjectNode meta = Json.metadata(r.object());
        Responses.json(req.response(), 200, Responses.success(name, type.group(), type.plural(), meta.path("uid").asText()));
      }
    } else if (m == HttpMethod.PATCH) {
      patch(ctx, type, ns, name, false);
    } else {
      throw StatusErrors.methodNotAllowed("the server does not allow this method on the requested resource");
    }
  }

  /**
   * PATCH with a JSON merge patch or a JSON patch: applied to the current object, then written as
   * an update. A resourceVersion the patch sets is a precondition (409 when stale); without one,
   * a write that lost a race is retried on the new state.
   */
  private void patch(RoutingContext ctx, ResourceType type, String ns, String name, boolean status) {
    HttpServerRequest req = ctx.request();
    String media = BodyDecoder.mediaType(req.getHeader("Content-Type"));
    if (media.equals(ServerSideApply.MEDIA_TYPE)) {
      WriteOptions o = QueryParams.write(req.params(), req.getHeader("User-Agent"));
      ServerSideApply.Result r = apply.apply(type, ns, name, body(ctx), req.getParam("fieldManager"),
          QueryParams.bool(req.params(), "force"), o, status);
      responses.object(req, r.created() ? 201 : 200, type, r.object());
      return;
    }
    boolean strategic = media.equals("application/strategic-merge-patch+json") && !type.isCustom();
    boolean merge = media.equals("application/merge-patch+json") || strategic;
    if (!merge && !media.equals("application/json-patch+json")) {
      throw new io.capstan.apiserver.errors.ApiException(415, "UnsupportedMediaType",
          "the body of the request was in an unknown format - accepted media types include: "
              + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
              + (type.isCustom() ? "" : ", application/strategic-merge-patch+json"), null);
    }
    JsonNode patch = BodyDecoder.decodeAny(body(ctx), "application/json");
    if (merge && !patch.isObject()) {
      throw StatusErrors.badRequest("a merge patch must be a JSON object");
    }
    JsonNode rv = merge ? patch.path("metadata").get("resourceVersion")
        : io.capstan.apiserver.registry.patch.JsonPatch.valueSetAt(patch, "/metadata/resourceVersion");
    boolean precondition = rv != null && !rv.asText("").isEmpty();
    WriteOptions o = QueryParams.write(req.params(), req.getHeader("User-Agent"));
    for (int attempt = 0; ; attempt++) {
      ObjectNode current = registry.get(type, ns, name, null);
      JsonNode result = strategic
          ? io.capstan.apiserver.registry.patch.StrategicMergePatch.apply(current, patch, type.model())
          : merge ? io.capstan.apiserver.registry.patch.MergePatch.apply(current, patch)
          : io.capstan.apiserver.registry.patch.JsonPatch.apply(current, patch);
      if (!(result instanceof ObjectNode patched)) {
        throw StatusErrors.badRequest("the patch does not result in an object");
      }
      try {
        ObjectNode written = status ? registry.updateStatus(type, ns, name, patched, o)
            : registry.update(type, ns, name, patched, o);
        responses.object(req, 200, type, written);
        return;
      } catch (io.capstan.apiserver.errors.ApiException e) {
        if (e.code() != 409 || !"Conflict".equals(e.reason()) || precondition || attempt >= 16) {
          throw e;
        }
      }
    }
  }

  private void status(RoutingContext ctx, HttpMethod m, ResourceType type, String ns, String name) {
    HttpServerRequest req = ctx.request();
    if (m == HttpMethod.GET) {
      responses.object(req, 200, type, registry.get(type, ns, name, null));
    } else if (m == HttpMethod.PUT) {
      WriteOptions o = QueryParams.write(req.params(), req.getHeader("User-Agent"));
      Decoded d = decode(ctx, type, o);
      Responses.warnings(req.response(), d.warnings());
      responses.object(req, 200, type, registry.updateStatus(type, ns, name, d.object(), o));
    } else if (m == HttpMethod.PATCH) {
      patch(ctx, type, ns, name, true);
    } else {
      throw StatusErrors.methodNotAllowed("the server does not allow this method on the requested resource");
    }
  }

  private void scale(RoutingContext ctx, HttpMethod m, ResourceType type, String ns, String name) {
    HttpServerRequest req = ctx.request();
    if (m == HttpMethod.GET) {
      Responses.json(req.response(), 200, subresources.getScale(type, ns, name));
    } else if (m == HttpMethod.PUT) {
      ObjectNode scale = BodyDecoder.decode(body(ctx), req.getHeader("Content-Type"), "autoscaling/v1", "Scale", null,
          WriteOptions.FieldValidation.IGNORE).object();
      Responses.json(req.response(), 200, subresources.updateScale(type, ns, name, scale, QueryParams.dryRun(req.params())));
    } else if (m == HttpMethod.PATCH) {
      String scaleMedia = BodyDecoder.mediaType(req.getHeader("Content-Type"));
      if (!scaleMedia.equals("application/merge-patch+json") && !scaleMedia.equals("application/strategic-merge-patch+json")) {
        throw new io.capstan.apiserver.errors.ApiException(415, "UnsupportedMediaType", "the body of the request was in an "
            + "unknown format - accepted media types include: application/merge-patch+json, "
            + "application/strategic-merge-patch+json", null);
      }
      JsonNode patch = BodyDecoder.decodeAny(body(ctx), "application/json");
      ObjectNode scale = (ObjectNode) io.capstan.apiserver.registry.patch.MergePatch.apply(
          subresources.getScale(type, ns, name), patch);
      if (!patch.path("metadata").path("resourceVersion").asText("").isEmpty()) {
        scale.withObject("/metadata").put("resourceVersion", patch.path("metadata").path("resourceVersion").asText());
      } else {
        scale.withObject("/metadata").remove("resourceVersion");
      }
      Responses.json(req.response(), 200, subresources.updateScale(type, ns, name, scale, QueryParams.dryRun(req.params())));
    } else {
      throw StatusErrors.methodNotAllowed("the server does not allow this method on the requested resource");
    }
  }

  /** Decodes the body of a write to {@code type}, with fieldValidation for built-in and custom kinds. */
  private Decoded decode(RoutingContext ctx, ResourceType type, WriteOptions o) {
    Decoded d = BodyDecoder.decode(body(ctx), ctx.request().getHeader("Content-Type"), type.apiVersion(), type.kind(),
        type.model(), o.fieldValidation());
    if (!type.isCustom() || o.fieldValidation() == WriteOptions.FieldValidation.IGNORE) {
      return d;
    }
    List<String> unknown = ((io.capstan.apiserver.registry.custom.CustomResourceStrategy)
        io.capstan.apiserver.registry.custom.AllStrategies.of(type)).unknownFields(d.object());
    if (unknown.isEmpty()) {
      return d;
    }
    if (o.fieldValidation() == WriteOptions.FieldValidation.STRICT) {
      throw StatusErrors.badRequest("strict decoding error: " + String.join(", ",
          unknown.stream().map(u -> "unknown field \"" + u + "\"").toList()));
    }
    List<String> warnings = new java.util.ArrayList<>(d.warnings());
    unknown.forEach(u -> warnings.add("unknown field \"" + u + "\""));
    return new Decoded(d.object(), warnings);
  }

  private static byte[] body(RoutingContext ctx) {
    return ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
  }

  private static void defaultPolicyWarning(HttpServerRequest req, ResourceType type, DeleteOptions options) {
    String warning = GcFinalizers.defaultPolicyWarning(type, options);
    if (warning != null) {
      Responses.warnings(req.response(), List.of(warning));
    }
  }

  private static JsonNode deleteBody(RoutingContext ctx) {
    byte[] b = body(ctx);
    if (b.length == 0) {
      return null;
    }
    return BodyDecoder.decodeAny(b, ctx.request().getHeader("Content-Type"));
  }
}
