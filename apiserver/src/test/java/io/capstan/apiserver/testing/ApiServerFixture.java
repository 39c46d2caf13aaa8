package io.capstan.apiserver.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

/**
 * Base of ITs that share one in-process API server per class and a raw HTTP client to it. The
 * server is on SQLite, or on a fresh real etcd when the test class implements {@link OnEtcd} (so
 * a subclass runs the same tests on etcd).
 */
public abstract class ApiServerFixture {
  protected static TestApiServer server;
  protected static Http http;
  private static EtcdProcess etcd;

  @BeforeAll
  static void startServer(TestInfo info) {
    if (info.getTestClass().map(OnEtcd.class::isAssignableFrom).orElse(false)) {
      etcd = EtcdProcess.start();
      server = TestApiServer.start(etcd.storageUrl());
    } else {
      server = TestApiServer.start();
    }
    http = new Http(server.url());
  }

  @AfterAll
  static void stopServer() {
    try {
      server.close();
    } finally {
      if (etcd != null) {
        etcd.close();
        etcd = null;
      }
    }
  }

  /** Marks an {@link ApiServerFixture} test class whose server runs on etcd. */
  public interface OnEtcd {}
}
