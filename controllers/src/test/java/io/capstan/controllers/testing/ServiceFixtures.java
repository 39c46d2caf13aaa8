package io.capstan.controllers.testing;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Services and the pods behind them for the Endpoints and EndpointSlice ITs: a Service selecting
 * {@code app}, port "web" 80 to the named container port "http", and pods on node-1 whose IP and
 * readiness are set through /status as a kubelet would.
 */
public final class ServiceFixtures {
  private ServiceFixtures() {}

  /** A Service {@code name} selecting app={@code app}, port 80 to the named container port "http". */
  public static Service service(String ns, String name, String app) {
    return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).addToLabels("team", "a")
        .endMetadata().withNewSpec().addToSelector("app", app)
        .addNewPort().withName("web").withPort(80).withTargetPort(new IntOrString("http")).endPort()
        .endSpec().build();
  }

  /** Creates a pod with container port "http" = {@code port}, then sets its IP and readiness via /status. */
  public static Pod pod(KubernetesClient client, String ns, String name, String app, int port, String ip,
      boolean ready) {
    Pod created = client.pods().resource(new PodBuilder().withNewMetadata().withNamespace(ns).withName(name)
        .addToLabels("app", app).endMetadata().withNewSpec().withNodeName("node-1")
        .addNewContainer().withName("c").withImage("nginx").addNewPort().withName("http").withContainerPort(port)
        .endPort().endContainer().endSpec().build()).create();
    return setStatus(client, created, ip, ready);
  }

  /** Sets {@code pod} Running with {@code ip} and a Ready condition of {@code ready}, via /status. */
  public static Pod setStatus(KubernetesClient client, Pod pod, String ip, boolean ready) {
    Pod withStatus = new PodBuilder(pod).editOrNewStatus().withPhase("Running").withPodIP(ip)
        .addNewPodIP().withIp(ip).endPodIP()
        .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .endStatus().build();
    return client.pods().resource(withStatus).updateStatus();
  }
}
