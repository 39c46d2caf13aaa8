package io.capstan.controllers.scheduler;

import io.fabric8.kubernetes.client.KubernetesClient;

/** The poster contract through Fabric8's HTTP client. */
class Fabric8PosterIT extends PosterContract {
  @Override
  Poster poster(KubernetesClient client) {
    return Posters.fabric8(client);
  }
}
