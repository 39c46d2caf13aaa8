package io.capstan.controllers.scheduler;

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
 * What every {@link Poster} must do against a real API server: a binding is created (201) and
 * the pod is bound; a binding of a pod that does not exist answers 404 with the Status body; a
 * second binding of a bound pod answers 409.
 */
abstract class PosterContract {
  TestApiServer server;
  KubernetesClient client;

  abstract Poster poster(KubernetesClient client) throws Exception;

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

  @Test
  void bindsAPendingPodAndReportsFailuresWithTheirStatus() throws Exception {
    Pod pod = client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("p1").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build()).create();
    PodInfo info = new PodInfo(pod);
    Poster poster = poster(client);

    Poster.Reply bound = poster.post(Binder.path(info), Binder.json(info, "node-a")).get();
    assertEquals(201, bound.code(), bound.body());
    assertEquals("node-a", client.pods().inNamespace("default").withName("p1").get().getSpec().getNodeName());

    Poster.Reply again = poster.post(Binder.path(info), Binder.json(info, "node-b")).get();
    assertEquals(409, again.code());
    assertTrue(again.body().contains("\"kind\":\"Status\""), again.body());

    PodInfo missing = new PodInfo(new PodBuilder().withNewMetadata().withNamespace("default").withName("nope")
        .withUid("u-1").endMetadata().withNewSpec().endSpec().build());
    Poster.Reply gone = poster.post(Binder.path(missing), Binder.json(missing, "node-a")).get();
    assertEquals(404, gone.code());
    assertTrue(gone.body().contains("NotFound"), gone.body());
  }
}
