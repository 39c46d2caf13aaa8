package io.capstan.apiserver.it;

import static io.capstan.apiserver.it.ServiceAllocationIT.SVC;
import static io.capstan.apiserver.it.ServiceAllocationIT.assertInvalid;
import static io.capstan.apiserver.it.ServiceAllocationIT.clusterIp;
import static io.capstan.apiserver.it.ServiceAllocationIT.created;
import static io.capstan.apiserver.it.ServiceAllocationIT.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.testing.Http;
import io.capstan.apiserver.testing.TestApiServer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Allocations survive a restart on the same data; a small range runs out as kube's does. */
class ServiceAllocationRestartIT {

  @Test
  void allocationsSurviveARestart() {
    TestApiServer first = TestApiServer.start();
    TestApiServer second = null;
    try {
      Http http = new Http(first.url());
      JsonNode svc = created(http.post(SVC, service("kept", "NodePort", null, 0)));
      String ip = clusterIp(svc);
      int port = svc.path("spec").path("ports").get(0).path("nodePort").asInt();
      second = first.restart();
      http = new Http(second.url());
      assertInvalid(http.post(SVC, service("again", "ClusterIP", ip, 0)), "spec.clusterIPs",
          "Invalid value: []string{\"" + ip + "\"}: failed to allocate IP " + ip + ": provided IP is already allocated");
      assertInvalid(http.post(SVC, service("again", "NodePort", null, port)), "spec.ports[0].nodePort",
          "Invalid value: " + port + ": provided port is already allocated");
      assertTrue(second.server().serviceAllocator().isAllocated("10.96.0.1"), "the kubernetes Service's address");
      assertEquals(java.net.URI.create(second.url()).getPort(),
          http.get(SVC + "/kubernetes").json().path("spec").path("ports").get(0).path("targetPort").asInt(),
          "the kubernetes Service follows the API server's new port");
      JsonNode list = http.get(SVC).json();
      assertEquals(2, list.path("items").size(), "kubernetes and kept, no second kubernetes: " + list);
      assertEquals(200, http.delete(SVC + "/kept").code());
      created(http.post(SVC, service("again", "NodePort", ip, port)));
    } finally {
      if (second != null) {
        second.close();
      }
      first.close();
    }
  }

  @Test
  void aClaimLeftByACrashIsRemovedAtStartOnceAbandoned() {
    TestApiServer first = TestApiServer.start();
    TestApiServer second = null;
    try {
      // as if a server crashed between claiming and writing the Service: one old claim, one fresh
      byte[] old = "{\"claimedAt\":\"2026-01-01T00:00:00Z\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] fresh = ("{\"claimedAt\":\"" + java.time.Instant.now() + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      first.storage().create("/registry/ranges/serviceips/10.96.0.50", old, 0);
      first.storage().create("/registry/ranges/serviceips/10.96.0.51", fresh, 0);
      second = first.restart();
      Http http = new Http(second.url());
      created(http.post(SVC, service("took-leaked", "ClusterIP", "10.96.0.50", 0)));
      assertInvalid(http.post(SVC, service("in-flight", "ClusterIP", "10.96.0.51", 0)), "spec.clusterIPs",
          "Invalid value: []string{\"10.96.0.51\"}: failed to allocate IP 10.96.0.51: provided IP is already allocated");
    } finally {
      if (second != null) {
        second.close();
      }
      first.close();
    }
  }

  @Test
  void aFullRangeAnswersAsKubeDoes() {
    // A /29 has six usable addresses; the kubernetes Service holds the first.
    try (TestApiServer small = TestApiServer.start(c -> c.withServiceRanges("10.100.0.0/29", "30000-30001"))) {
      Http http = new Http(small.url());
      assertEquals("10.100.0.1", clusterIp(http.get(SVC + "/kubernetes").json()));
      Set<String> ips = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        ips.add(clusterIp(created(http.post(SVC, service("s" + i, "ClusterIP", null, 0)))));
      }
      assertEquals(Set.of("10.100.0.2", "10.100.0.3", "10.100.0.4", "10.100.0.5", "10.100.0.6"), ips);
      Http.Answer full = http.post(SVC, service("s5", "ClusterIP", null, 0));
      assertEquals(500, full.code(), full.body());
      assertEquals("Internal error occurred: failed to allocate a serviceIP: range is full",
          full.json().path("message").asText());
      for (String gone : List.of("s0", "s1", "s2")) {
        assertEquals(200, http.delete(SVC + "/" + gone).code());
      }
      assertInvalid(http.post(SVC, service("p", "NodePort", null, 30002)), "spec.ports[0].nodePort",
          "Invalid value: 30002: provided port is not in the valid range. The range of valid ports is 30000-30001");
      created(http.post(SVC, service("p1", "NodePort", null, 0)));
      created(http.post(SVC, service("p2", "NodePort", "None", 0).replace("\"clusterIP\":\"None\",", "")
          .replace("\"type\":\"NodePort\"", "\"type\":\"LoadBalancer\",\"allocateLoadBalancerNodePorts\":false")));
      Http.Answer portsFull = http.post(SVC, service("p3", "NodePort", null, 0).replace("\"ports\":[{\"port\":80}]",
          "\"ports\":[{\"name\":\"a\",\"port\":80},{\"name\":\"b\",\"port\":81},{\"name\":\"c\",\"port\":82}]"));
      assertEquals(500, portsFull.code(), portsFull.body());
      assertEquals("Internal error occurred: failed to allocate a nodePort: range is full",
          portsFull.json().path("message").asText());
      // p1 holds one port; what the failed p3 took of the other was given back.
      assertTrue(small.server().serviceAllocator().isPortAllocated(30000)
          != small.server().serviceAllocator().isPortAllocated(30001));
      assertEquals(404, http.get(SVC + "/p3").code());
    }
  }
}
