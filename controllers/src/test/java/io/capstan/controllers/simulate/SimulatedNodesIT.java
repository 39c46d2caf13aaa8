package io.capstan.controllers.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.testing.TestApiServer;
import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Simulated nodes against a real API server: nodes, Leases, and the kubelet's part for pods. */
class SimulatedNodesIT {
  static TestApiServer server;
  static KubernetesClient client;
  static SimulatedNodes sim;

  @BeforeAll
  static void start() throws Exception {
    server = TestApiServer.start();
    client = Clients.of(server);
    sim = SimulatedNodes.start(client, SimulationConfig.of("simit", 3)
        .withLeaseRenewInterval(Duration.ofMillis(300)));
  }

  @AfterAll
  static void stop() {
    sim.close();
    client.close();
    server.close();
  }

  static Lease lease(String node) {
    return client.leases().inNamespace("kube-node-lease").withName(node).get();
  }

  static Pod pod(String ns, String name) {
    return client.pods().inNamespace(ns).withName(name).get();
  }

  static Pod bound(String ns, String name, String node, Map<String, String> annotations) {
    return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withAnnotations(annotations).endMetadata()
        .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("nginx:1").endContainer().endSpec()
        .build();
  }

  @Test
  void nodesRegisterAndTheirLeasesAreRenewed() {
    Await.until("three Ready simulated nodes", () -> client.nodes().withLabel("type", "simulated").list().getItems()
        .stream().filter(NodeTemplates::ready).count() == 3);
    Node n1 = client.nodes().withName("simit-1").get();
    assertEquals("10.244.1.0/24", n1.getSpec().getPodCIDR());
    assertEquals("zone-b", n1.getMetadata().getLabels().get("topology.kubernetes.io/zone"));
    assertEquals("110", n1.getStatus().getAllocatable().get("pods").toString());
    assertTrue(n1.getStatus().getAddresses().stream().anyMatch(a -> a.getType().equals("InternalIP")));
    assertTrue(n1.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready")
        && c.getReason().equals("KubeletReady")));
    Await.until("a lease per node", () -> lease("simit-2") != null);
    Lease first = lease("simit-2");
    assertEquals("simit-2", first.getSpec().getHolderIdentity());
    assertEquals(40, first.getSpec().getLeaseDurationSeconds());
    ZonedDateTime renewed = first.getSpec().getRenewTime();
    Await.until("the lease is renewed", () -> lease("simit-2").getSpec().getRenewTime().isAfter(renewed),
        () -> String.valueOf(lease("simit-2").getSpec()));
  }

  @Test
  void boundPodRunsReadyWithAnIpAndDeletionIsConfirmed() {
    String ns = Clients.namespace(client, "sim-run");
    client.pods().resource(bound(ns, "web", "simit-0", Map.of())).create();
    Await.until("web is Running and Ready", () -> PodStatuses.isRunningReady(pod(ns, "web")),
        () -> String.valueOf(pod(ns, "web").getStatus()));
    Pod web = pod(ns, "web");
    assertTrue(web.getStatus().getPodIP().startsWith("10.244.0."), web.getStatus().getPodIP());
    assertEquals("172.30.0.2", web.getStatus().getHostIP());
    assertTrue(web.getStatus().getContainerStatuses().get(0).getContainerID().startsWith("sim://"));
    assertTrue(web.getStatus().getContainerStatuses().get(0).getState().getRunning() != null);
    Set<String> trueConditions = web.getStatus().getConditions().stream().filter(c -> c.getStatus().equals("True"))
        .map(c -> c.getType()).collect(Collectors.toSet());
    assertTrue(trueConditions.containsAll(Set.of("PodScheduled", "Initialized", "ContainersReady", "Ready")),
        trueConditions.toString());
    client.pods().resource(bound(ns, "other", "not-simulated", Map.of())).create();
    client.pods().inNamespace(ns).withName("web").delete();
    Await.until("web is gone", () -> pod(ns, "web") == null);
    Pod other = pod(ns, "other");
    assertTrue(other.getStatus() == null || other.getStatus().getPodIP() == null, "a pod of another node is left alone");
  }

  @Test
  void jobPodsFinish() {
    String ns = Clients.namespace(client, "sim-job");
    client.pods().resource(jobPod(ns, "ok", Map.of())).create();
    client.pods().resource(jobPod(ns, "bad", Map.of(PodSimulator.EXIT_CODE, "3", PodSimulator.RUN_SECONDS, "0.2")))
        .create();
    Await.until("ok Succeeded", () -> "Succeeded".equals(pod(ns, "ok").getStatus().getPhase()),
        () -> String.valueOf(pod(ns, "ok").getStatus()));
    Await.until("bad Failed", () -> "Failed".equals(pod(ns, "bad").getStatus().getPhase()),
        () -> String.valueOf(pod(ns, "bad").getStatus()));
    assertEquals(0, pod(ns, "ok").getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode());
    assertEquals(3, pod(ns, "bad").getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode());
    assertTrue(Objects.nonNull(pod(ns, "ok").getStatus().getStartTime()));
  }

  static Pod jobPod(String ns, String name, Map<String, String> annotations) {
    Pod p = bound(ns, name, "simit-1", annotations);
    p.getMetadata().setOwnerReferences(java.util.List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
        .withApiVersion("batch/v1").withKind("Job").withName("j").withUid("00000000-0000-0000-0000-00000000000" + name.length())
        .withController(true).build()));
    p.getSpec().setRestartPolicy("Never");
    return p;
  }
}
