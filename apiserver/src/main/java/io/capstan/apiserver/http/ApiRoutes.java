package io.capstan.apiserver.http;

import io.capstan.apiserver.ApiServerConfig;
import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.registry.Registry;
import io.capstan.apiserver.resources.ResourceCatalog;
import io.capstan.apiserver.resources.ResourceType;
import io.capstan.apiserver.storage.StorageTimeoutException;
import io.capstan.apiserver.storage.StorageUnavailableException;
import io.capstan.apiserver.table.TablePrinter;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Mounts the whole Kubernetes API on a Vert.x router: health, version, discovery, OpenAPI, then
 * the resource endpoints. The flow of a request: {@link ResourcePath} -> {@link ResourceHandler}
 * or {@link WatchHandler} -> registry -> storage.
 */
public final class ApiRoutes {
  private static final Logger LOG = Logger.getLogger(ApiRoutes.class);
  private final ResourceCatalog catalog;
  private final ResourceHandler resources;
  private final WatchHandler watches;
  private final MetaRoutes meta;
  private final ApiServerConfig config;
  private final io.capstan.apiserver.proxy.PodProxy pods;

  public ApiRoutes(Registry registry, ResourceCatalog catalog, ApiServerConfig config,
      ScheduledExecutorService timers, BooleanSupplier ready) {
    this.catalog = catalog;
    this.config = config;
    TablePrinter tables = new TablePrinter();
    this.resources = new ResourceHandler(registry, new ObjectResponses(tables));
    this.watches = new WatchHandler(registry, tables, timers, config);
    this.meta = new MetaRoutes(catalog, ready);
    this.pods = new io.capstan.apiserver.proxy.PodProxy(registry,
        config.nodeSecretsDir() == null ? null : java.nio.file.Path.of(config.nodeSecretsDir()), Responses::error);
  }

  /** Releases the clients of the pod proxy. */
  public void close() {
    pods.close();
  }

  /** Number of watches being served now. */
  public int openWatches() {
    return watches.openCount();
  }

  /** Ends every open watch; clients re-watch from their last resourceVersion. */
  public void closeWatches() {
    watches.closeAll();
  }

  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
    // an upgrade (SPDY exec/attach/portforward POSTs) has no body: its connection becomes the stream
    router.route().method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH).method(HttpMethod.DELETE)
        .handler(ctx -> {
          if (ctx.request().getHeader("Upgrade") != null) {
            ctx.next();
          } else {
            body.handle(ctx);
          }
        });
    meta.mount(router);
    router.routeWithRegex("^/apis?/.*").handler(this::dispatch);
    router.route().last().handler(ctx -> Responses.error(ctx.response(), StatusErrors.pathNotFound()));
    router.route().failureHandler(this::failure);
  }

  private void dispatch(RoutingContext ctx) {
    ResourcePath p;
    ResourceType type;
    try {
      p = ResourcePath.parse(ctx.normalizedPath());
      if (p == null) {
        ctx.next();
        return;
      }
      type = catalog.find(p.group(), p.version(), p.resource()).orElseThrow(StatusErrors::pathNotFound);
      if (p.namespace() != null && !type.namespaced()) {
        throw StatusErrors.pathNotFound();
      }
      if (p.name() == null && ctx.request().method() == HttpMethod.GET && QueryParams.bool(ctx.request().params(), "watch")) {
        if (type.isCreateOnly()) {
          throw StatusErrors.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        watches.handle(ctx, p, type);
        return;
      }
      if (type.group().isEmpty() && type.plural().equals("pods") && p.namespace() != null && p.subresource() != null
          && io.capstan.apiserver.proxy.PodProxy.SUBRESOURCES.contains(p.subresource())) {
        pods.handle(ctx, p.namespace(), p.name(), p.subresource());
        return;
      }
    } catch (ApiException e) {
      Responses.error(ctx.response(), e);
      return;
    }
    ctx.vertx().executeBlocking(() -> {
      try {
        resources.handle(ctx, p, type);
      } catch (ApiException e) {
        Responses.error(ctx.response(), e);
      } catch (StorageTimeoutException e) {
        LOG.warnf("storage timeout: %s", e.getMessage());
        Responses.error(ctx.response(), StatusErrors.timeout("storage did not answer in time: " + e.getMessage()));
      } catch (StorageUnavailableException e) {
        LOG.warnf("storage unavailable: %s", e.getMessage());
        Responses.error(ctx.response(), StatusErrors.unavailable("storage is unavailable: " + e.getMessage()));
      } catch (RuntimeException e) {
        LOG.errorf(e, "%s %s failed", ctx.request().method(), ctx.request().path());
        Responses.error(ctx.response(), StatusErrors.internal(e.toString()));
      }
      return null;
    }, false);
  }

  private void failure(RoutingContext ctx) {
    int code = ctx.statusCode();
    if (code == 413) {
      Responses.error(ctx.response(), StatusErrors.requestEntityTooLarge(config.maxBodyBytes()));
    } else if (ctx.failure() instanceof ApiException e) {
      Responses.error(ctx.response(), e);
    } else {
      if (ctx.failure() != null) {
        LOG.errorf(ctx.failure(), "%s %s failed", ctx.request().method(), ctx.request().path());
      }
      Responses.error(ctx.response(), code >= 400 && code < 500
          ? new ApiException(code, "BadRequest", "the request could not be handled (HTTP " + code + ")", null)
          : StatusErrors.internal(String.valueOf(ctx.failure())));
    }
  }
}
