package io.capstan.apiserver.registry.alloc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.registry.Registry;
import io.capstan.apiserver.registry.WriteOptions;
import io.capstan.apiserver.resources.ResourceType;
import org.jboss.logging.Logger;

/**
 * The {@code kubernetes} Service in {@code default}, as kube-apiserver's bootstrap controller
 * makes it: ClusterIP the first address of the service range, port 443 named https to the API
 * server's port, no selector, label component=apiserver and provider=kubernetes. Created at start
 * when missing; an existing one only has its https targetPort moved to the API server's port.
 */
public final class KubernetesService {
  private static final Logger LOG = Logger.getLogger(KubernetesService.class);

  private KubernetesService() {}

  /** Creates default/kubernetes unless it exists. */
  public static void ensure(Registry registry, Ranges ranges, int apiServerPort) {
    ResourceType type = registry.catalog().find("", "v1", "services").orElseThrow();
    try {
      ObjectNode existing = registry.get(type, "default", "kubernetes", null);
      JsonNode port = existing.path("spec").path("ports").path(0);
      if (port.path("name").asText().equals("https") && port.path("port").asInt() == 443
          && port.path("targetPort").asInt() != apiServerPort) {
        // The API server moved to another port: follow it, as kube's bootstrap controller does.
        registry.guaranteedUpdate(type, "default", "kubernetes", false, obj -> {
          ((ObjectNode) obj.path("spec").path("ports").path(0)).put("targetPort", apiServerPort);
          return obj;
        });
      }
      return;
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
    ObjectNode svc = Json.object().put("apiVersion", "v1").put("kind", "Service");
    ObjectNode meta = svc.putObject("metadata").put("name", "kubernetes").put("namespace", "default");
    meta.putObject("labels").put("component", "apiserver").put("provider", "kubernetes");
    ObjectNode spec = svc.putObject("spec").put("type", "ClusterIP").put("clusterIP", ranges.firstServiceIp())
        .put("sessionAffinity", "None");
    spec.putArray("ports").addObject().put("name", "https").put("protocol", "TCP").put("port", 443)
        .put("targetPort", apiServerPort);
    try {
      registry.create(type, "default", svc, WriteOptions.defaults());
    } catch (ApiException e) {
      if (e.code() != 409) {
        LOG.warnf("cannot create the kubernetes Service: %s", e.getMessage());
      }
    }
  }
}
