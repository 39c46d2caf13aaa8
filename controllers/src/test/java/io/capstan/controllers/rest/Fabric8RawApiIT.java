package io.capstan.controllers.rest;

import io.fabric8.kubernetes.client.KubernetesClient;

/** The raw API contract through Fabric8's HTTP client. */
class Fabric8RawApiIT extends RawApiContract {
  @Override
  RawApi api(KubernetesClient client) {
    return RawApis.fabric8(client);
  }
}
