package io.capstan.controllers.testing;

import io.capstan.apiserver.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** Fabric8 clients of an in-process API server, as a controllers process would hold. */
public final class Clients {
  private Clients() {}

  public static KubernetesClient of(TestApiServer server) {
    Config config = new ConfigBuilder().withMasterUrl(server.url()).withRequestRetryBackoffLimit(0).build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Creates namespace {@code name} and returns it. */
  public static String namespace(KubernetesClient client, String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    return name;
  }
}
