package io.capstan.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Minimal raw calls against the API. */
final class Api {
  final HttpClient client;
  final String url;

  Api(HttpClient client, String url) {
    this.client = client;
    this.url = url;
  }

  int post(String path, String body) throws IOException, InterruptedException {
    HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(url + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.discarding());
    return r.statusCode();
  }

  String get(String path) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create(url + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  void namespace(String name) throws IOException, InterruptedException {
    post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}");
  }

  static String configMap(String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"payload\":\""
        + "x".repeat(1024) + "\"}}";
  }
}
