package io.capstan.apiserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.registry.alloc.Ipv4Cidr;
import io.capstan.apiserver.testing.ApiServerFixture;
import io.capstan.apiserver.testing.Http;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** ClusterIP and NodePort allocation of Services through the HTTP API, as kube-apiserver answers. */
class ServiceAllocationIT extends ApiServerFixture {
  static final String SVC = "/api/v1/namespaces/default/services";
  static final Ipv4Cidr RANGE = Ipv4Cidr.parse("10.96.0.0/12");

  /** A Service body; clusterIP and nodePort are left out when null/0. */
  static String service(String name, String type, String clusterIp, int nodePort) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
        + "\"type\":\"" + type + "\"," + (clusterIp == null ? "" : "\"clusterIP\":\"" + clusterIp + "\",")
        + "\"selector\":{\"app\":\"" + name + "\"},\"ports\":[{\"port\":80"
        + (nodePort == 0 ? "" : ",\"nodePort\":" + nodePort) + "}]}}";
  }

  static JsonNode created(Http.Answer a) {
    assertEquals(201, a.code(), a.body());
    return a.json();
  }

  /** Asserts a 422 Invalid with one cause on {@code field} whose message is {@code message}. */
  static void assertInvalid(Http.Answer a, String field, String message) {
    assertEquals(422, a.code(), a.body());
    JsonNode s = a.json();
    assertEquals("Invalid", s.path("reason").asText(), a.body());
    JsonNode cause = s.path("details").path("causes").get(0);
    assertEquals(field, cause.path("field").asText(), a.body());
    assertEquals(message, cause.path("message").asText(), a.body());
  }

  static String clusterIp(JsonNode svc) {
    return svc.path("spec").path("clusterIP").asText();
  }

  @Test
  void kubernetesServiceExistsAtStart() {
    JsonNode k = http.get(SVC + "/kubernetes").json();
    assertEquals("10.96.0.1", clusterIp(k), k.toString());
    JsonNode port = k.path("spec").path("ports").get(0);
    assertEquals("https", port.path("name").asText());
    assertEquals(443, port.path("port").asInt());
    assertEquals(URI.create(server.url()).getPort(), port.path("targetPort").asInt());
    assertEquals("apiserver", k.path("metadata").path("labels").path("component").asText());
  }

  @Test
  void clusterIpIsAllocatedAndFamiliesDefaulted() {
    JsonNode svc = created(http.post(SVC, service("auto-ip", "ClusterIP", null, 0)));
    String ip = clusterIp(svc);
    assertTrue(RANGE.offset(Ipv4Cidr.parseIp(ip)) >= 0, ip);
    assertEquals("[\"" + ip + "\"]", svc.path("spec").path("clusterIPs").toString());
    assertEquals("[\"IPv4\"]", svc.path("spec").path("ipFamilies").toString());
    assertEquals("SingleStack", svc.path("spec").path("ipFamilyPolicy").asText());
    assertEquals(ip, clusterIp(http.get(SVC + "/auto-ip").json()), "the stored object has it");
  }

  @Test
  void requestedAddressIsCheckedForRangeAndUse() {
    assertEquals("10.96.5.5", clusterIp(created(http.post(SVC, service("want-ip", "ClusterIP", "10.96.5.5", 0)))));
    assertInvalid(http.post(SVC, service("want-ip-2", "ClusterIP", "10.96.5.5", 0)), "spec.clusterIPs",
        "Invalid value: []string{\"10.96.5.5\"}: failed to allocate IP 10.96.5.5: provided IP is already allocated");
    Http.Answer outside = http.post(SVC, service("outside", "ClusterIP", "192.168.1.1", 0));
    assertInvalid(outside, "spec.clusterIPs", "Invalid value: []string{\"192.168.1.1\"}: failed to allocate IP "
        + "192.168.1.1: the provided IP (192.168.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12");
    assertTrue(outside.json().path("message").asText().startsWith("Service \"outside\" is invalid: "));
    assertEquals(404, http.get(SVC + "/outside").code());
  }

  @Test
  void headlessAndExternalNameGetNoAddress() {
    JsonNode headless = created(http.post(SVC, service("headless", "ClusterIP", "None", 0)));
    assertEquals("None", clusterIp(headless));
    assertEquals("[\"None\"]", headless.path("spec").path("clusterIPs").toString());
    assertEquals("[\"IPv4\"]", headless.path("spec").path("ipFamilies").toString());
    JsonNode ext = created(http.post(SVC, "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"ext\"},"
        + "\"spec\":{\"type\":\"ExternalName\",\"externalName\":\"example.com\"}}"));
    assertFalse(ext.path("spec").has("clusterIP"), ext.toString());
    assertFalse(ext.path("spec").has("ipFamilies"), ext.toString());
  }

  @Test
  void clusterIpIsImmutableButKeptWhenOmitted() {
    JsonNode svc = created(http.post(SVC, service("immutable", "ClusterIP", null, 0)));
    String ip = clusterIp(svc);
    String other = ip.equals("10.96.7.7") ? "10.96.7.8" : "10.96.7.7";
    String changed = svc.toString().replace("\"" + ip + "\"", "\"" + other + "\"");
    assertInvalid(http.put(SVC + "/immutable", changed), "spec.clusterIPs[0]",
        "Invalid value: []string{\"" + other + "\"}: may not change once set");
    assertFalse(server.server().serviceAllocator().isAllocated(other), "a refused update reserves nothing");
    JsonNode put = http.put(SVC + "/immutable", service("immutable", "ClusterIP", null, 0)).json();
    assertEquals(ip, clusterIp(put), put.toString());
  }

  @Test
  void deleteAndFailedCreateRelease() {
    created(http.post(SVC, service("reuse", "ClusterIP", "10.96.9.9", 0)));
    assertEquals(200, http.delete(SVC + "/reuse").code());
    assertFalse(server.server().serviceAllocator().isAllocated("10.96.9.9"));
    created(http.post(SVC, service("reuse-2", "ClusterIP", "10.96.9.9", 0)));
    // A create that fails after the reservation (name taken) frees its address.
    assertEquals(409, http.post(SVC, service("reuse-2", "ClusterIP", "10.96.9.10", 0)).code());
    assertFalse(server.server().serviceAllocator().isAllocated("10.96.9.10"));
    created(http.post(SVC, service("reuse-3", "ClusterIP", "10.96.9.10", 0)));
  }

  @Test
  void dryRunReservesNothing() {
    JsonNode dry = created(http.post(SVC + "?dryRun=All", service("dry", "NodePort", "10.96.10.10", 30500)));
    assertEquals("10.96.10.10", clusterIp(dry));
    assertFalse(server.server().serviceAllocator().isAllocated("10.96.10.10"));
    assertFalse(server.server().serviceAllocator().isPortAllocated(30500));
    JsonNode autoDry = created(http.post(SVC + "?dryRun=All", service("dry", "ClusterIP", null, 0)));
    assertFalse(server.server().serviceAllocator().isAllocated(clusterIp(autoDry)));
    created(http.post(SVC, service("dry", "NodePort", "10.96.10.10", 30500)));
  }

  @Test
  void nodePortsAreAllocatedCheckedAndReleased() {
    JsonNode np = created(http.post(SVC, service("np", "NodePort", null, 0)));
    int port = np.path("spec").path("ports").get(0).path("nodePort").asInt();
    assertTrue(port >= 30000 && port <= 32767, np.toString());
    assertEquals("Cluster", np.path("spec").path("externalTrafficPolicy").asText());
    assertInvalid(http.post(SVC, service("np-dup", "NodePort", null, port)), "spec.ports[0].nodePort",
        "Invalid value: " + port + ": provided port is already allocated");
    assertInvalid(http.post(SVC, service("np-low", "NodePort", null, 80)), "spec.ports[0].nodePort",
        "Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767");
    // Back to ClusterIP: the node port is freed and another Service may ask for it.
    JsonNode back = http.put(SVC + "/np", np.toString().replace("\"NodePort\"", "\"ClusterIP\"")
        .replace(",\"externalTrafficPolicy\":\"Cluster\"", "")).json();
    assertFalse(back.path("spec").path("ports").get(0).has("nodePort"), back.toString());
    assertFalse(server.server().serviceAllocator().isPortAllocated(port));
    created(http.post(SVC, service("np-take", "NodePort", null, port)));
    assertEquals(200, http.delete(SVC + "/np-take").code());
    assertFalse(server.server().serviceAllocator().isPortAllocated(port), "delete frees the node port");
  }

  @Test
  void loadBalancerPortsAndOptOut() {
    JsonNode lb = created(http.post(SVC, service("lb", "LoadBalancer", null, 0)));
    assertTrue(lb.path("spec").path("ports").get(0).path("nodePort").asInt() >= 30000, lb.toString());
    String noPorts = service("lb-no", "LoadBalancer", null, 0)
        .replace("\"type\":\"LoadBalancer\",", "\"type\":\"LoadBalancer\",\"allocateLoadBalancerNodePorts\":false,");
    JsonNode no = created(http.post(SVC, noPorts));
    assertFalse(no.path("spec").path("ports").get(0).has("nodePort"), no.toString());
  }

  @Test
  void localLoadBalancersGetAHealthCheckNodePort() {
    String local = service("lb-local", "LoadBalancer", null, 0)
        .replace("\"type\":\"LoadBalancer\",", "\"type\":\"LoadBalancer\",\"externalTrafficPolicy\":\"Local\",");
    JsonNode lb = created(http.post(SVC, local));
    int health = lb.path("spec").path("healthCheckNodePort").asInt();
    assertTrue(server.server().serviceAllocator().isPortAllocated(health), lb.toString());
    JsonNode kept = http.put(SVC + "/lb-local", local).json();
    assertEquals(health, kept.path("spec").path("healthCheckNodePort").asInt(), "an update keeps it: " + kept);
    assertInvalid(http.post(SVC, local.replace("lb-local", "lb-local-2")
        .replace("\"type\":", "\"healthCheckNodePort\":" + health + ",\"type\":")), "spec.healthCheckNodePort",
        "Invalid value: " + health + ": failed to allocate requested HealthCheck NodePort " + health
            + ": provided port is already allocated");
    JsonNode cluster = http.put(SVC + "/lb-local", kept.toString().replace("\"Local\"", "\"Cluster\"")).json();
    assertFalse(cluster.path("spec").has("healthCheckNodePort"), cluster.toString());
    assertFalse(server.server().serviceAllocator().isPortAllocated(health), "switching to Cluster frees it");
    assertInvalid(http.post(SVC, service("np-health", "NodePort", null, 0)
        .replace("\"type\":", "\"healthCheckNodePort\":31999,\"type\":")), "spec.healthCheckNodePort",
        "Invalid value: 31999: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
  }

  @Test
  void concurrentCreatesGetDistinctAddressesAndPorts() throws Exception {
    int n = 40;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Http.Answer>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String body = service("many-" + i, "NodePort", null, 0);
        answers.add(pool.submit(() -> http.post(SVC, body)));
      }
      Set<String> ips = new HashSet<>();
      Set<Integer> ports = new HashSet<>();
      for (Future<Http.Answer> f : answers) {
        JsonNode svc = created(f.get());
        ips.add(clusterIp(svc));
        ports.add(svc.path("spec").path("ports").get(0).path("nodePort").asInt());
      }
      assertEquals(n, ips.size(), ips.toString());
      assertEquals(n, ports.size(), ports.toString());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void ipFamiliesOfASingleStackCluster() {
    String v6 = service("v6", "ClusterIP", null, 0).replace("\"type\":", "\"ipFamilies\":[\"IPv6\"],\"type\":");
    assertInvalid(http.post(SVC, v6), "spec.ipFamilies[0]", "Invalid value: \"IPv6\": not configured on this cluster");
    String dual = service("dual", "ClusterIP", null, 0).replace("\"type\":", "\"ipFamilyPolicy\":\"RequireDualStack\",\"type\":");
    assertInvalid(http.post(SVC, dual), "spec.ipFamilyPolicy",
        "Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services");
  }
}
