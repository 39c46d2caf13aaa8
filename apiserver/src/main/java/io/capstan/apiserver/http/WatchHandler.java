package io.capstan.apiserver.http;

import io.capstan.apiserver.ApiServerConfig;
import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.registry.ListOptions;
import io.capstan.apiserver.registry.Registry;
import io.capstan.apiserver.resources.ResourceType;
import io.capstan.apiserver.selection.Selection;
import io.capstan.apiserver.table.TablePrinter;
import io.capstan.apiserver.watch.ApiWatch;
import io.capstan.apiserver.watch.WatchSink;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * {@code GET collection?watch=true}: validates the options, then streams over chunked HTTP, or over
 * a WebSocket when the client asked for an upgrade (Fabric8). Runs on the event loop; the watch
 * itself starts on a worker (its initial list reads storage).
 */
final class WatchHandler {
  private static final Logger LOG = Logger.getLogger(WatchHandler.class);
  private final Registry registry;
  private final TablePrinter tables;
  private final ScheduledExecutorService timers;
  private final ApiServerConfig config;
  private final java.util.Set<ApiWatch> active = java.util.concurrent.ConcurrentHashMap.newKeySet();

  WatchHandler(Registry registry, TablePrinter tables, ScheduledExecutorService timers, ApiServerConfig config) {
    this.registry = registry;
    this.tables = tables;
    this.timers = timers;
    this.config = config;
  }

  void handle(RoutingContext ctx, ResourcePath p, ResourceType type) {
    HttpServerRequest req = ctx.request();
    ListOptions o = QueryParams.list(req.params());
    Selection.parse(type, o.labelSelector(), o.fieldSelector());
    Registry.parseResourceVersion(o.resourceVersion());
    if (Boolean.TRUE.equals(o.sendInitialEvents()) && !"NotOlderThan".equals(o.resourceVersionMatch())) {
      throw io.capstan.apiserver.errors.StatusErrors.invalid("meta.k8s.io", "ListOptions", "", java.util.List.of(
          io.capstan.apiserver.errors.FieldError.forbidden("sendInitialEvents",
              "sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to NotOlderThan")));
    }
    long timeout = o.timeoutSeconds() != null && o.timeoutSeconds() > 0 ? o.timeoutSeconds()
        : config.watchTimeoutSeconds() + ThreadLocalRandom.current().nextLong(config.watchTimeoutSeconds() + 1);
    EventEncoder encoder = new EventEncoder(type, Negotiation.wantsTable(req) ? tables : null);
    Context context = ctx.vertx().getOrCreateContext();
    if (Negotiation.wantsWebSocket(req)) {
      req.toWebSocket().onSuccess(ws -> {
        WebSocketWatchSink sink = new WebSocketWatchSink(ws, context, encoder);
        start(ctx, p, type, o, sink, timeout, ws);
      }).onFailure(e -> LOG.debugf(e, "websocket upgrade failed"));
      return;
    }
    String contentType = Negotiation.wantsTable(req) ? Negotiation.TABLE_CONTENT_TYPE : "application/json";
    ChunkedWatchSink sink = new ChunkedWatchSink(req.response(), context, encoder, contentType);
    req.response().write("");
    start(ctx, p, type, o, sink, timeout, null);
  }

  /** Number of watches being served now. */
  int openCount() {
    return active.size();
  }

  /** Ends every open watch (clients re-watch from their last resourceVersion). */
  void closeAll() {
    for (ApiWatch w : active) {
      w.close();
    }
  }

  private void start(RoutingContext ctx, ResourcePath p, ResourceType type, ListOptions o, WatchSink sink,
      long timeout, ServerWebSocket ws) {
    ctx.vertx().<ApiWatch>executeBlocking(() -> {
      try {
        return ApiWatch.start(registry, type, p.namespace(), o, sink, timers, timeout, config.bookmarkSeconds());
      } catch (ApiException e) {
        sink.error(e);
        sink.end();
        return null;
      }
    }, false).onSuccess(w -> {
      if (w == null) {
        return;
      }
      active.add(w);
      w.onClosed(() -> active.remove(w));
      if (ws != null && ws.isClosed()) {
        w.close();
      } else if (ws != null) {
        ws.closeHandler(v -> w.close());
        ws.exceptionHandler(e -> w.close());
        ws.handler(b -> { });
      } else if (ctx.response().ended() || ctx.response().closed()) {
        w.close();
      } else {
        ctx.response().closeHandler(v -> w.close());
        ctx.response().exceptionHandler(e -> w.close());
      }
    }).onFailure(e -> {
      LOG.warnf(e, "watch failed to start");
      sink.end();
    });
  }
}
