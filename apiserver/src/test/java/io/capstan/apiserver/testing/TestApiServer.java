package io.capstan.apiserver.testing;

import io.capstan.apiserver.ApiServer;
import io.capstan.apiserver.ApiServerConfig;
import io.capstan.apiserver.storage.Storage;
import io.capstan.apiserver.storage.StorageFactory;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An in-process API server on SQLite in a temporary directory (or on a given storage URL, e.g. an
 * {@link EtcdProcess}'s), on a free loopback port. Closing it stops the server and deletes the
 * directory.
 */
public final class TestApiServer implements AutoCloseable {
  private final Vertx vertx;
  private final Path dir;
  private final ApiServer server;
  private final HttpServer http;
  private final String storageUrl;
  private final UnaryOperator<ApiServerConfig> configure;
  private boolean stopped;

  private TestApiServer(Path dir, String storageUrl, UnaryOperator<ApiServerConfig> configure) {
    this.dir = dir;
    this.configure = configure;
    this.vertx = Vertx.vertx();
    this.storageUrl = storageUrl;
    Storage storage = StorageFactory.open(storageUrl);
    ApiServerConfig config = configure.apply(ApiServerConfig.defaults(storageUrl).withListen("127.0.0.1", 0));
    this.server = new ApiServer(storage, config).start();
    this.http = server.listen(vertx);
  }

  public static TestApiServer start() {
    return start(UnaryOperator.identity());
  }

  /** A server whose config {@code configure} changes (e.g. other Service ranges). */
  public static TestApiServer start(UnaryOperator<ApiServerConfig> configure) {
    try {
      Path dir = Files.createTempDirectory("capstan-it-");
      return new TestApiServer(dir, "sqlite:" + dir, configure);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A server on the given storage URL (e.g. {@code etcd://127.0.0.1:PORT}). */
  public static TestApiServer start(String storageUrl) {
    return new TestApiServer(null, storageUrl, UnaryOperator.identity());
  }

  /** A server on the given storage URL whose config {@code configure} changes. */
  public static TestApiServer start(String storageUrl, UnaryOperator<ApiServerConfig> configure) {
    return new TestApiServer(null, storageUrl, configure);
  }

  /**
   * Stops this server, keeping its data, and starts a new one on the same storage (on another
   * port): a restart. Close the returned server; closing this one afterwards does nothing.
   */
  public TestApiServer restart() {
    stopServing();
    stopped = true;
    return new TestApiServer(dir, storageUrl, configure);
  }

  private void stopServing() {
    http.close().toCompletionStage().toCompletableFuture().join();
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  public String url() {
    return "http://127.0.0.1:" + http.actualPort();
  }

  public ApiServer server() {
    return server;
  }

  public Storage storage() {
    return server.storage();
  }

  @Override
  public void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    stopServing();
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
