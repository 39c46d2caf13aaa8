package io.capstan.cli;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Puts the API server on Quarkus' HTTP router, and stops it on shutdown. */
@ApplicationScoped
public class HttpMount {

  void mount(@Observes Router router) {
    ServerRuntime.current().apiServer().mount(router);
  }

  void stop(@Observes ShutdownEvent event) {
    ServerRuntime.current().stop();
  }
}
