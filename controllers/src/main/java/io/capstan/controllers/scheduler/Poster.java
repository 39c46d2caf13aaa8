package io.capstan.controllers.scheduler;

import java.util.concurrent.CompletableFuture;

/**
 * POSTs a JSON body to a path of the API server and completes with the status code and, when the
 * request failed, the response body. The seam under {@link Binder}: bindings are the scheduler's
 * hottest writes, and this lets them skip Fabric8's per-request machinery (see {@link Posters}).
 */
interface Poster {

  /** Sends the request; the future completes exceptionally only when no response came. */
  CompletableFuture<Reply> post(String path, String json);

  /** A response: its status code and, unless it was 2xx, its body. */
  record Reply(int code, String body) {}
}
