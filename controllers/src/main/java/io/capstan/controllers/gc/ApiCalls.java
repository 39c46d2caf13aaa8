package io.capstan.controllers.gc;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The collector's live reads and writes, on any resource, through the client's HTTP stack (its
 * authentication included): GET, DELETE with a propagation policy and preconditions, and merge
 * patches whose resourceVersion is a precondition.
 */
final class ApiCalls {
  /** The outcome of a write: done, the object is gone (404), or a precondition failed (409). */
  enum Outcome { OK, NOT_FOUND, CONFLICT }

  private static final long TIMEOUT_SECONDS = 30;
  private final KubernetesClient client;
  private final String base;

  ApiCalls(KubernetesClient client) {
    this.client = client;
    String url = client.getConfiguration().getMasterUrl();
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** The object as the API has it now; null when absent. */
  GenericKubernetesResource get(ResourceInfo r, String namespace, String name) {
    HttpResponse<String> res = send(client.getHttpClient().newHttpRequestBuilder()
        .uri(base + r.path(namespace, name)).build());
    if (res.code() == 404) {
      return null;
    }
    check(res);
    return client.getKubernetesSerialization().unmarshal(res.body(), GenericKubernetesResource.class);
  }

  /** Deletes with {@code policy}, only if the object still has {@code uid} and {@code resourceVersion}. */
  Outcome delete(ResourceInfo r, ObjectRef id, String resourceVersion, String policy) {
    Map<String, Object> pre = new LinkedHashMap<>();
    pre.put("uid", id.uid());
    if (resourceVersion != null) {
      pre.put("resourceVersion", resourceVersion);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("apiVersion", "v1");
    body.put("kind", "DeleteOptions");
    body.put("propagationPolicy", policy);
    body.put("preconditions", pre);
    return write("DELETE", r.path(id.namespace(), id.name()), "application/json", body);
  }

  /** A JSON merge patch of the object's metadata, refused (409) when its resourceVersion moved on. */
  Outcome patchMetadata(ResourceInfo r, String namespace, String name, String resourceVersion,
      Map<String, Object> metadata) {
    Map<String, Object> meta = new LinkedHashMap<>(metadata);
    meta.put("resourceVersion", resourceVersion);
    return write("PATCH", r.path(namespace, name), "application/merge-patch+json", Map.of("metadata", meta));
  }

  private Outcome write(String method, String path, String contentType, Object body) {
    String json = client.getKubernetesSerialization().asJson(body);
    HttpResponse<String> res = send(client.getHttpClient().newHttpRequestBuilder()
        .uri(base + path).method(method, contentType, json).build());
    if (res.code() == 404) {
      return Outcome.NOT_FOUND;
    }
    if (res.code() == 409) {
      return Outcome.CONFLICT;
    }
    check(res);
    return Outcome.OK;
  }

  private HttpResponse<String> send(HttpRequest req) {
    try {
      return client.getHttpClient().sendAsync(req, String.class).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new KubernetesClientException(req.method() + " " + req.uri() + " failed: " + e.getMessage(), e);
    }
  }

  private static void check(HttpResponse<String> res) {
    if (res.code() >= 300) {
      throw new KubernetesClientException(res.request().method() + " " + res.request().uri() + ": " + res.code()
          + " " + res.body(), res.code(), null);
    }
  }
}
