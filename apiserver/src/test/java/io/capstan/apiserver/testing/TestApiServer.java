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

  private TestApiServer(Path dir, String storageUrl) {
    this.dir = dir;
    this.vertx = Vertx.vertx();
    Storage storage = StorageFactory.open(storageUrl);
    ApiServerConfig config = ApiServerConfig.defaults(storageUrl).withListen("127.0.0.1", 0);
    this.server = new ApiServer(storage, config).start();
    this.http = server.listen(vertx);
  }

  public static TestApiServer start() {
    try {
      Path dir = Files.createTempDirectory("capstan-it-");
      return new TestApiServer(dir, "sqlite:" + dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A server on the given storage URL (e.g. {@code etcd://127.0.0.1:PORT}). */
  public static TestApiServer start(String storageUrl) {
    return new TestApiServer(null, storageUrl);
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
    http.close().toCompletionStage().toCompletableFuture().join();
    server.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
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
