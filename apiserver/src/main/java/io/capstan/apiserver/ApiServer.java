package io.capstan.apiserver;

import io.capstan.apiserver.http.ApiRoutes;
import io.capstan.apiserver.registry.ListOptions;
import io.capstan.apiserver.registry.Registry;
import io.capstan.apiserver.registry.alloc.KubernetesService;
import io.capstan.apiserver.registry.alloc.Ranges;
import io.capstan.apiserver.registry.alloc.ServiceAllocator;
import io.capstan.apiserver.registry.custom.AllStrategies;
import io.capstan.apiserver.registry.custom.CrdController;
import io.capstan.apiserver.resources.ResourceCatalog;
import io.capstan.apiserver.resources.ResourceType;
import io.capstan.apiserver.storage.Storage;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The API server assembled: storage, catalog, registry, routes. {@link #mount} puts it on a
 * router owned by someone else (Quarkus in {@code capstan server}); {@link #listen} runs it on its
 * own Vert.x HTTP server (tests, tools). {@link #start} must run before requests are served.
 */
public final class ApiServer implements AutoCloseable {
  private final Storage storage;
  private final Registry registry;
  private final ApiServerConfig config;
  private final ScheduledExecutorService timers;
  private final ApiRoutes routes;
  private final CrdController crds;
  private final ServiceAllocator services;
  private final ResourceType serviceType;
  private volatile boolean ready;

  public ApiServer(Storage storage, ApiServerConfig config) {
    this.storage = storage;
    this.config = config;
    ResourceCatalog catalog = ResourceCatalog.builtin();
    this.registry = new Registry(storage, catalog, Clock.systemUTC(), AllStrategies::of);
    this.crds = new CrdController(registry);
    this.services = new ServiceAllocator(Ranges.parse(config.serviceClusterIpRange(), config.serviceNodePortRange()),
        storage, Clock.systemUTC());
    this.serviceType = catalog.find("", "v1", "services").orElseThrow();
    registry.setHook(serviceType, services);
    this.timers = Executors.newScheduledThreadPool(1, r -> {
      Thread t = new Thread(r, "capstan-watch-timers");
      t.setDaemon(true);
      return t;
    });
    this.routes = new ApiRoutes(registry, catalog, config, timers, () -> ready);
  }

  /**
   * Rebuilds the Service allocations from storage, creates the initial namespaces (and the
   * {@code kubernetes} Service when the port is known) and starts background loops; then the
   * server is ready.
   */
  public ApiServer start() {
    services.rebuild(registry.list(serviceType, null, ListOptions.all()).items());
    registry.namespaces().start();
    if (config.port() > 0) {
      KubernetesService.ensure(registry, services.ranges(), config.port());
    }
    crds.start();
    ready = true;
    return this;
  }

  public void mount(Router router) {
    routes.mount(router);
  }

  /** Serves on its own HTTP server at the configured host and port (0: any free port). */
  public HttpServer listen(Vertx vertx) {
    Router router = Router.router(vertx);
    mount(router);
    HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port())
        .setCompressionSupported(true);
    HttpServer http = vertx.createHttpServer(options).requestHandler(router).listen()
        .toCompletionStage().toCompletableFuture().join();
    if (config.port() == 0) {
      KubernetesService.ensure(registry, services.ranges(), http.actualPort());
    }
    return http;
  }

  /** The Service ClusterIP and NodePort allocator. */
  public ServiceAllocator serviceAllocator() {
    return services;
  }

  /** Number of watches being served now (each holds one storage watch). */
  public int openWatches() {
    return routes.openWatches();
  }

  /** Ends every open watch (on shutdown, and for tests that force clients to re-watch). */
  public void closeWatches() {
    routes.closeWatches();
  }

  public Registry registry() {
    return registry;
  }

  public Storage storage() {
    return storage;
  }

  public boolean isReady() {
    return ready;
  }

  @Override
  public void close() {
    ready = false;
    closeWatches();
    routes.close();
    crds.close();
    registry.namespaces().close();
    timers.shutdownNow();
    storage.close();
  }
}
