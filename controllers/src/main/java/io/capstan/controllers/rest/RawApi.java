package io.capstan.controllers.rest;

import java.util.concurrent.CompletableFuture;

/**
 * Sends one request with a JSON body to a path of the API server and completes with the status
 * code and, when the request failed, the response body (a Kubernetes Status). The response body of
 * a success is not read into objects: callers that need the new object use the Fabric8 client.
 */
public interface RawApi {

  /**
   * Sends {@code method path} with {@code body} of type {@code contentType}; the future completes
   * exceptionally only when no response came.
   */
  CompletableFuture<Reply> send(String method, String path, String contentType, String body);

  /** {@code POST path} with a JSON body. */
  default CompletableFuture<Reply> post(String path, String json) {
    return send("POST", path, "application/json", json);
  }

  /** A response: its status code and, unless it was 2xx, its body. */
  record Reply(int code, String body) {
    /** Whether the code is 2xx. */
    public boolean ok() {
      return code / 100 == 2;
    }
  }
}
