package io.capstan.controllers.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.testing.TestApiServer;
import io.capstan.controllers.testing.Clients;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RawApi} must do against a real API server: a binding is created (201) and
 * the pod is bound; a second binding of a bound pod answers 409 and a binding of a pod that does
 * not exist 404, each with its Status body; a merge patch of the status subresource (200) lands.
 */
abstract class RawApiContract {
  TestApiServer server;
  KubernetesClient client;

  abstract RawApi api(KubernetesClient client) throws Exception;

  @BeforeEach
  void start() throws Exception {
    server = TestApiServer.start();
    client = Clients.of(server);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  static String binding(String name, String node) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"" + name
        + "\"},\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"" + node + "\"}}";
  }

  @Test
  void bindsAPendingPodAndReportsFailuresWithTheirStatus() throws Exception {
    client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("p1").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build()).create();
    RawApi api = api(client);

    RawApi.Reply bound = api.post("/api/v1/namespaces/default/pods/p1/binding", binding("p1", "node-a")).get();
    assertEquals(201, bound.code(), bound.body());
    assertTrue(bound.ok());
    assertEquals("node-a", client.pods().inNamespace("default").withName("p1").get().getSpec().getNodeName());

    RawApi.Reply again = api.post("/api/v1/namespaces/default/pods/p1/binding", binding("p1", "node-b")).get();
    assertEquals(409, again.code());
    assertTrue(again.body().contains("\"kind\":\"Status\""), again.body());

    RawApi.Reply gone = api.post("/api/v1/namespaces/default/pods/nope/binding", binding("nope", "node-a")).get();
    assertEquals(404, gone.code());
    assertTrue(gone.body().contains("NotFound"), gone.body());

    RawApi.Reply patched = api.send("PATCH", "/api/v1/namespaces/default/pods/p1/status", "application/merge-patch+json",
        "{\"status\":{\"phase\":\"Running\",\"podIP\":\"10.1.0.7\"}}").get();
    assertEquals(200, patched.code(), patched.body());
    Pod pod = client.pods().inNamespace("default").withName("p1").get();
    assertEquals("Running", pod.getStatus().getPhase());
    assertEquals("10.1.0.7", pod.getStatus().getPodIP());
  }
}
