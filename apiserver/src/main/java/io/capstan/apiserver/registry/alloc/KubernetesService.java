package io.capstan.apiserver.registry.alloc;

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
 * when missing; an existing one is left alone.
 */
public final class KubernetesService {
  private static final Logger LOG = Logger.getLogger(KubernetesService.class);

  private KubernetesService() {}

  /** Creates default/kubernetes unless it exists. */
  public static void ensure(Registry registry, Ranges ranges, int apiServerPort) {
    ResourceType type = registry.catalog().find("", "v1", "services").orElseThrow();
    try {
      registry.get(type, "default", "kubernetes", null);
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
