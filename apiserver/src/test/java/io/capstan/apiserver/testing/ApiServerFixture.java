package io.capstan.apiserver.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of ITs that share one in-process API server per class and a raw HTTP client to it. */
public abstract class ApiServerFixture {
  protected static TestApiServer server;
  protected static Http http;

  @BeforeAll
  static void startServer() {
    server = TestApiServer.start();
    http = new Http(server.url());
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }
}
