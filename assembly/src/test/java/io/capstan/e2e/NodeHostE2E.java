package io.capstan.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The shared life of a node end-to-end class: one {@code capstan server} with its node agent
 * ({@link NodeHost}) for all of the class's tests, started as root only and closed at the end.
 */
abstract class NodeHostE2E {
  static NodeHost host;

  @BeforeAll
  static void startNodeHost() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "the node agent runs containers as root");
    host = NodeHost.start();
  }

  @AfterAll
  static void closeNodeHost() throws Exception {
    if (host != null) {
      host.close();
      host = null;
    }
  }
}
