package io.capstan.apiserver.registry.strategy;

import static io.capstan.apiserver.registry.strategy.StrategyTesting.assertHas;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.assertHasPrefix;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.assertValid;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.create;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.createErrors;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.fixture;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.remove;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.set;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.text;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.updateErrors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceStrategyTest {
  private final ServiceStrategy strategy = new ServiceStrategy();

  private List<String> errorsWith(String pointer, String value) {
    return createErrors(strategy, set(fixture("service"), pointer, value));
  }

  @Test
  void defaults() {
    JsonNode spec = create(strategy, fixture("service")).path("spec");
    assertValid(StrategyTesting.messages(strategy.validate(create(strategy, fixture("service")))));
    assertEquals("ClusterIP", spec.path("type").asText());
    assertEquals("None", spec.path("sessionAffinity").asText());
    assertEquals("Cluster", spec.path("internalTrafficPolicy").asText());
    assertFalse(spec.has("externalTrafficPolicy"));
    assertEquals("TCP", spec.at("/ports/0/protocol").asText());
    assertEquals(80, spec.at("/ports/0/targetPort").asInt(), "targetPort defaults to port");
    assertEquals(8443, spec.at("/ports/1/targetPort").asInt());
  }

  @Test
  void typeDependentDefaults() {
    JsonNode lb = create(strategy, set(fixture("service"), "/spec/type", "\"LoadBalancer\"")).path("spec");
    assertEquals("Cluster", lb.path("externalTrafficPolicy").asText());
    assertEquals(true, lb.path("allocateLoadBalancerNodePorts").asBoolean());
    JsonNode sticky = create(strategy, set(fixture("service"), "/spec/sessionAffinity", "\"ClientIP\"")).path("spec");
    assertEquals(10800, sticky.at("/sessionAffinityConfig/clientIP/timeoutSeconds").asInt());
  }

  @Test
  void ports() {
    assertHas(errorsWith("/spec/ports/0/port", "0"), "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive");
    assertHas(errorsWith("/spec/ports/0/port", "65536"),
        "spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive");
    assertHas(createErrors(strategy, remove(fixture("service"), "/spec/ports/0/name")), "spec.ports[0].name: Required value");
    assertHas(errorsWith("/spec/ports/1/name", "\"http\""), "spec.ports[1].name: Duplicate value: \"http\"");
    assertHas(errorsWith("/spec/ports/0/protocol", "\"ICMP\""),
        "spec.ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"");
    assertHas(errorsWith("/spec/ports/1/port", "80"), "spec.ports[1]: Duplicate value: {\"port\":80,\"protocol\":\"TCP\"}");
    assertHas(errorsWith("/spec/ports/1/targetPort", "\"Web_Port\""), "spec.ports[1].targetPort: Invalid value: "
        + "\"Web_Port\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    assertHas(createErrors(strategy, remove(fixture("service"), "/spec/ports")), "spec.ports: Required value");
    ObjectNode single = remove(fixture("service"), "/spec/ports/1");
    assertValid(createErrors(strategy, remove(single, "/spec/ports/0/name")));
  }

  @Test
  void nodePorts() {
    assertHas(errorsWith("/spec/ports/0/nodePort", "30080"),
        "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
    ObjectNode nodePort = set(fixture("service"), "/spec/type", "\"NodePort\"");
    assertValid(createErrors(strategy, set(nodePort.deepCopy(), "/spec/ports/0/nodePort", "30080")));
    // The node port range is the allocator's check (ServiceAllocationIT), not validation's.
    assertValid(createErrors(strategy, set(nodePort.deepCopy(), "/spec/ports/0/nodePort", "80")));
    ObjectNode twice = set(set(nodePort, "/spec/ports/0/nodePort", "30080"), "/spec/ports/1/nodePort", "30080");
    assertHas(createErrors(strategy, twice), "spec.ports[1].nodePort: Duplicate value: 30080");
  }

  @Test
  void typeAndAffinity() {
    assertHas(errorsWith("/spec/type", "\"Internal\""), "spec.type: Unsupported value: \"Internal\": supported values: "
        + "\"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"");
    assertHas(errorsWith("/spec/sessionAffinity", "\"Cookie\""),
        "spec.sessionAffinity: Unsupported value: \"Cookie\": supported values: \"ClientIP\", \"None\"");
    assertValid(errorsWith("/spec/sessionAffinityConfig", "{\"clientIP\":{\"timeoutSeconds\":90000}}"));
    ObjectNode sticky = set(fixture("service"), "/spec/sessionAffinity", "\"ClientIP\"");
    set(sticky, "/spec/sessionAffinityConfig", "{\"clientIP\":{\"timeoutSeconds\":90000}}");
    assertHas(createErrors(strategy, sticky), "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: "
        + "90000: must be greater than 0 and less than 86400");
  }

  @Test
  void selectorIsALabelMap() {
    assertHasPrefix(errorsWith("/spec/selector/app", "\"-bad-\""), "spec.selector: Invalid value: \"-bad-\": a valid label");
  }

  @Test
  void headlessAndExternalName() {
    ObjectNode headless = remove(set(fixture("service"), "/spec/clusterIP", "\"None\""), "/spec/ports");
    assertValid(createErrors(strategy, headless));
    assertEquals("[\"None\"]", headless.at("/spec/clusterIPs").toString());
    ObjectNode external = remove(set(fixture("service"), "/spec/type", "\"ExternalName\""), "/spec/ports");
    assertHas(createErrors(strategy, external.deepCopy()), "spec.externalName: Required value");
    assertValid(createErrors(strategy, set(external, "/spec/externalName", "\"db.example.com.\"")));
    ObjectNode nodePortHeadless = set(set(fixture("service"), "/spec/type", "\"NodePort\""), "/spec/clusterIP", "\"None\"");
    assertHas(createErrors(strategy, nodePortHeadless),
        "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services");
    assertHas(errorsWith("/spec/clusterIP", "\"10.0.0.300\""),
        "spec.clusterIPs[0]: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
  }

  @Test
  void clusterIpIsImmutable() {
    ObjectNode stored = create(strategy, set(fixture("service"), "/spec/clusterIP", "\"10.96.0.10\""));
    assertEquals("[\"10.96.0.10\"]", stored.at("/spec/clusterIPs").toString());
    ObjectNode changed = set(stored.deepCopy(), "/spec/clusterIP", "\"10.96.0.11\"");
    remove(changed, "/spec/clusterIPs");
    assertHas(updateErrors(strategy, changed, stored),
        "spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.11\"}: may not change once set");
    ObjectNode omitted = remove(remove(stored.deepCopy(), "/spec/clusterIP"), "/spec/clusterIPs");
    assertValid(updateErrors(strategy, omitted, stored));
    assertEquals("10.96.0.10", text(omitted, "/spec/clusterIP"), "an update without clusterIP keeps the stored one");
    assertEquals("[\"10.96.0.10\"]", omitted.at("/spec/clusterIPs").toString());
  }

  @Test
  void updateKeepsNodePortsAndDropsThemForClusterIp() {
    ObjectNode stored = create(strategy, set(set(fixture("service"), "/spec/type", "\"NodePort\""),
        "/spec/ports/0/nodePort", "30080"));
    ObjectNode omitted = remove(stored.deepCopy(), "/spec/ports/0/nodePort");
    assertValid(updateErrors(strategy, omitted, stored));
    assertEquals(30080, omitted.at("/spec/ports/0/nodePort").asInt());
    ObjectNode toClusterIp = set(stored.deepCopy(), "/spec/type", "\"ClusterIP\"");
    assertValid(updateErrors(strategy, toClusterIp, stored));
    assertFalse(toClusterIp.at("/spec/ports/0").has("nodePort"));
    assertFalse(toClusterIp.at("/spec").has("externalTrafficPolicy"));
  }

  @Test
  void nameIsDns1035() {
    assertHasPrefix(createErrors(strategy, set(fixture("service"), "/metadata/name", "\"1web\"")),
        "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of");
  }
}
