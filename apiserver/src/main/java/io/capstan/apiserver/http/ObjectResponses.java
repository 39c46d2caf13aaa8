package io.capstan.apiserver.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.registry.ListPage;
import io.capstan.apiserver.resources.ResourceType;
import io.capstan.apiserver.table.TablePrinter;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/** Answers objects and lists as JSON, or as Tables when the client asked for them. */
final class ObjectResponses {
  private final TablePrinter tables;

  ObjectResponses(TablePrinter tables) {
    this.tables = tables;
  }

  void object(HttpServerRequest req, int code, ResourceType type, ObjectNode obj) {
    object(req, code, type, obj, null);
  }

  /** {@code json}: the JSON of {@code obj} when the caller has it already (null: serialize obj). */
  void object(HttpServerRequest req, int code, ResourceType type, ObjectNode obj, byte[] json) {
    if (Negotiation.wantsTable(req)) {
      ObjectNode t = tables.table(type, List.of(obj), true, Json.text(obj, "metadata.resourceVersion"), null);
      trimTableObjects(req, t);
      Responses.json(req.response(), code, t, Negotiation.TABLE_CONTENT_TYPE);
    } else {
      Responses.json(req.response(), code, json != null ? json : obj);
    }
  }

  void list(HttpServerRequest req, ResourceType type, ListPage page) {
    String rv = Long.toString(page.revision());
    if (Negotiation.wantsTable(req)) {
      ObjectNode t = tables.table(type, page.items(), true, rv, page.continueToken());
      if (page.remainingItemCount() != null) {
        Json.metadata(t).put("remainingItemCount", page.remainingItemCount());
      }
      trimTableObjects(req, t);
      Responses.json(req.response(), 200, t, Negotiation.TABLE_CONTENT_TYPE);
      return;
    }
    Responses.json(req.response(), 200, listObject(type.listKind(), type.apiVersion(), page));
  }

  static ObjectNode listObject(String kind, String apiVersion, ListPage page) {
    ObjectNode list = Json.object().put("kind", kind).put("apiVersion", apiVersion);
    ObjectNode meta = list.putObject("metadata").put("resourceVersion", Long.toString(page.revision()));
    if (page.continueToken() != null) {
      meta.put("continue", page.continueToken());
    }
    if (page.remainingItemCount() != null) {
      meta.put("remainingItemCount", page.remainingItemCount());
    }
    ArrayNode items = list.putArray("items");
    page.items().forEach(items::add);
    return list;
  }

  /** includeObject=None drops the row objects; Object is treated as Metadata. */
  private static void trimTableObjects(HttpServerRequest req, ObjectNode table) {
    if ("None".equals(req.getParam("includeObject"))) {
      table.path("rows").forEach(r -> ((ObjectNode) r).remove("object"));
    }
  }
}
