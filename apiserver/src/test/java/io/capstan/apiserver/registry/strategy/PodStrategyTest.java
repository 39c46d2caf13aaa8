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
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodStrategyTest {
  private final PodStrategy strategy = new PodStrategy();

  private List<String> errorsWith(String pointer, String value) {
    return createErrors(strategy, set(fixture("pod"), pointer, value));
  }

  @Test
  void fixtureIsValid() {
    assertValid(createErrors(strategy, fixture("pod")));
  }

  @Test
  void podSpecDefaults() {
    JsonNode spec = create(strategy, fixture("pod")).path("spec");
    assertEquals("Always", spec.path("restartPolicy").asText());
    assertEquals("ClusterFirst", spec.path("dnsPolicy").asText());
    assertEquals(30, spec.path("terminationGracePeriodSeconds").asInt());
    assertEquals("default-scheduler", spec.path("schedulerName").asText());
    assertEquals("{}", spec.path("securityContext").toString());
    assertEquals("default", spec.path("serviceAccountName").asText());
    assertEquals("default", spec.path("serviceAccount").asText());
    assertEquals(true, spec.path("enableServiceLinks").asBoolean());
    assertEquals("{}", spec.at("/volumes/0/emptyDir").toString(), "a volume without source is an emptyDir");
    assertEquals(420, spec.at("/volumes/1/configMap/defaultMode").asInt());
  }

  @Test
  void containerDefaults() {
    JsonNode spec = create(strategy, fixture("pod")).path("spec");
    JsonNode c = spec.at("/containers/0");
    assertEquals("Always", c.path("imagePullPolicy").asText(), "no tag pulls always");
    assertEquals("IfNotPresent", spec.at("/initContainers/0/imagePullPolicy").asText());
    assertEquals("/dev/termination-log", c.path("terminationMessagePath").asText());
    assertEquals("File", c.path("terminationMessagePolicy").asText());
    assertEquals("TCP", c.at("/ports/0/protocol").asText());
    assertEquals("v1", c.at("/env/1/valueFrom/fieldRef/apiVersion").asText());
    assertEquals("{\"cpu\":\"500m\",\"memory\":\"128Mi\"}", c.at("/resources/requests").toString(),
        "requests default to limits");
    JsonNode liveness = c.path("livenessProbe");
    assertEquals(1, liveness.path("timeoutSeconds").asInt());
    assertEquals(10, liveness.path("periodSeconds").asInt());
    assertEquals(1, liveness.path("successThreshold").asInt());
    assertEquals(3, liveness.path("failureThreshold").asInt());
    assertEquals("/", liveness.at("/httpGet/path").asText());
    assertEquals("HTTP", liveness.at("/httpGet/scheme").asText());
    assertEquals(5, c.at("/readinessProbe/periodSeconds").asInt(), "given values stay");
  }

  @Test
  void pullPolicyFollowsTheTag() {
    assertEquals("Always", ContainerDefaults.pullPolicy("nginx"));
    assertEquals("Always", ContainerDefaults.pullPolicy("nginx:latest"));
    assertEquals("Always", ContainerDefaults.pullPolicy("localhost:5000/team/app"));
    assertEquals("IfNotPresent", ContainerDefaults.pullPolicy("localhost:5000/team/app:v2"));
    assertEquals("IfNotPresent", ContainerDefaults.pullPolicy("nginx@sha256:" + "a".repeat(64)));
    assertEquals("Always", ContainerDefaults.pullPolicy("nginx:latest@sha256:" + "a".repeat(64)));
    ObjectNode pod = set(fixture("pod"), "/spec/containers/0/imagePullPolicy", "\"Never\"");
    assertEquals("Never", text(create(strategy, pod), "/spec/containers/0/imagePullPolicy"));
  }

  @Test
  void onlyGivenRequestsKeepTheirValue() {
    ObjectNode pod = set(fixture("pod"), "/spec/containers/0/resources/requests", "{\"cpu\":\"100m\"}");
    JsonNode requests = create(strategy, pod).at("/spec/containers/0/resources/requests");
    assertEquals("{\"cpu\":\"100m\",\"memory\":\"128Mi\"}", requests.toString());
    assertEquals("Burstable", pod.at("/status/qosClass").asText());
  }

  @Test
  void serviceAccountNameIsKept() {
    ObjectNode pod = set(fixture("pod"), "/spec/serviceAccountName", "\"builder\"");
    assertEquals("builder", text(create(strategy, pod), "/spec/serviceAccount"));
    ObjectNode legacy = set(fixture("pod"), "/spec/serviceAccount", "\"old\"");
    assertEquals("old", text(create(strategy, legacy), "/spec/serviceAccountName"));
  }

  @Test
  void statusIsPendingWithQosClass() {
    ObjectNode pod = create(strategy, fixture("pod"));
    assertEquals("Pending", text(pod, "/status/phase"));
    assertEquals("Burstable", text(pod, "/status/qosClass"), "the init container has no limits");
    ObjectNode limited = create(strategy, remove(fixture("pod"), "/spec/initContainers"));
    assertEquals("Guaranteed", text(limited, "/status/qosClass"));
    ObjectNode bare = create(strategy, remove(remove(fixture("pod"), "/spec/initContainers"),
        "/spec/containers/0/resources"));
    assertEquals("BestEffort", text(bare, "/status/qosClass"));
  }

  @Test
  void containersAreRequired() {
    assertHas(createErrors(strategy, remove(fixture("pod"), "/spec/containers")), "spec.containers: Required value");
  }

  @Test
  void containerNames() {
    assertHasPrefix(errorsWith("/spec/containers/0/name", "\"App_1\""),
        "spec.containers[0].name: Invalid value: \"App_1\": a lowercase RFC 1123 label must consist of");
    assertHas(errorsWith("/spec/containers/0/name", "\"\""), "spec.containers[0].name: Required value");
    assertHas(errorsWith("/spec/initContainers/0/name", "\"app\""),
        "spec.initContainers[0].name: Duplicate value: \"app\"");
    ObjectNode twice = set(fixture("pod"), "/spec/containers/1", "{\"name\":\"app\",\"image\":\"x\"}");
    assertHas(createErrors(strategy, twice), "spec.containers[1].name: Duplicate value: \"app\"");
  }

  @Test
  void imageIsRequired() {
    assertHas(errorsWith("/spec/containers/0/image", "\"\""), "spec.containers[0].image: Required value");
    assertHas(errorsWith("/spec/containers/0/image", "\" nginx\""),
        "spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing whitespace");
  }

  @Test
  void ports() {
    assertHas(errorsWith("/spec/containers/0/ports/0/containerPort", "70000"),
        "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive");
    assertHas(errorsWith("/spec/containers/0/ports/0/containerPort", "0"),
        "spec.containers[0].ports[0].containerPort: Required value");
    assertHas(errorsWith("/spec/containers/0/ports/0/hostPort", "-1"),
        "spec.containers[0].ports[0].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive");
    assertHas(errorsWith("/spec/containers/0/ports/0/protocol", "\"HTTP\""),
        "spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"");
    assertHas(errorsWith("/spec/containers/0/ports/0/name", "\"a-very-long-port-name\""),
        "spec.containers[0].ports[0].name: Invalid value: \"a-very-long-port-name\": must be no more than 15 characters");
    assertHas(errorsWith("/spec/containers/0/ports/0/name", "\"HTTP\""), "spec.containers[0].ports[0].name: "
        + "Invalid value: \"HTTP\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    assertHas(errorsWith("/spec/containers/0/ports/1", "{\"name\":\"http\",\"containerPort\":81}"),
        "spec.containers[0].ports[1].name: Duplicate value: \"http\"");
  }

  @Test
  void hostPortsMayNotClash() {
    ObjectNode pod = fixture("pod");
    set(pod, "/spec/containers/0/ports/0/hostPort", "8080");
    set(pod, "/spec/containers/1", "{\"name\":\"side\",\"image\":\"x\",\"ports\":[{\"containerPort\":9,\"hostPort\":8080}]}");
    assertHas(createErrors(strategy, pod), "spec.containers[1].ports[0].hostPort: Duplicate value: \"/TCP/8080\"");
  }

  @Test
  void resources() {
    ObjectNode pod = set(fixture("pod"), "/spec/containers/0/resources/requests", "{\"cpu\":\"1\"}");
    assertHas(createErrors(strategy, pod),
        "spec.containers[0].resources.requests: Invalid value: \"1\": must be less than or equal to cpu limit of 500m");
    assertHasPrefix(errorsWith("/spec/containers/0/resources/limits/memory", "\"lots\""),
        "spec.containers[0].resources.limits[memory]: Invalid value: \"lots\": quantities must match the regular");
    assertHas(errorsWith("/spec/containers/0/resources/limits/gpu", "\"1\""),
        "spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource for containers");
    assertHas(errorsWith("/spec/containers/0/resources/limits/cpu", "\"-1\""),
        "spec.containers[0].resources.limits[cpu]: Invalid value: \"-1\": must be greater than or equal to 0");
    assertValid(errorsWith("/spec/containers/0/resources/limits/cpu", "0.5"));
  }

  @Test
  void envNames() {
    assertHas(errorsWith("/spec/containers/0/env/0/name", "\"1ST\""), "spec.containers[0].env[0].name: Invalid value: "
        + "\"1ST\": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', "
        + "and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for "
        + "validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')");
    assertValid(errorsWith("/spec/containers/0/env/0/name", "\"my.env-NAME_2\""));
    assertHas(errorsWith("/spec/containers/0/env/1/valueFrom", "{}"), "spec.containers[0].env[1].valueFrom: Invalid "
        + "value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
    assertHas(errorsWith("/spec/containers/0/env/1/valueFrom/fieldRef/fieldPath", "\"spec.bogus\""),
        "spec.containers[0].env[1].valueFrom.fieldRef.fieldPath: Unsupported value: \"spec.bogus\": supported values: "
            + "\"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", "
            + "\"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\"");
  }

  @Test
  void pullPolicyValues() {
    assertHas(errorsWith("/spec/containers/0/imagePullPolicy", "\"Sometimes\""),
        "spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", "
            + "\"IfNotPresent\", \"Never\"");
    assertHas(errorsWith("/spec/containers/0/terminationMessagePolicy", "\"Logs\""),
        "spec.containers[0].terminationMessagePolicy: Unsupported value: \"Logs\": supported values: \"File\", "
            + "\"FallbackToLogsOnError\"");
  }

  @Test
  void volumeMountsReferenceVolumes() {
    assertHas(errorsWith("/spec/containers/0/volumeMounts/0/name", "\"cache\""),
        "spec.containers[0].volumeMounts[0].name: Invalid value: \"cache\": not found");
    assertHas(errorsWith("/spec/containers/0/volumeMounts/1/mountPath", "\"/data\""),
        "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique");
    assertHas(errorsWith("/spec/containers/0/volumeMounts/0/subPath", "\"../etc\""),
        "spec.containers[0].volumeMounts[0].subPath: Invalid value: \"../etc\": must not contain '..'");
  }

  @Test
  void probes() {
    assertHas(errorsWith("/spec/containers/0/livenessProbe", "{}"),
        "spec.containers[0].livenessProbe: Required value: must specify a handler type");
    assertHas(errorsWith("/spec/containers/0/livenessProbe/exec", "{\"command\":[\"true\"]}"),
        "spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type");
    assertHas(errorsWith("/spec/containers/0/livenessProbe/successThreshold", "2"),
        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1");
    assertHas(errorsWith("/spec/containers/0/readinessProbe/timeoutSeconds", "-1"),
        "spec.containers[0].readinessProbe.timeoutSeconds: Invalid value: -1: must be greater than or equal to 0");
    assertHas(errorsWith("/spec/initContainers/0/readinessProbe", "{\"exec\":{\"command\":[\"true\"]}}"),
        "spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always");
  }

  @Test
  void podSpecFields() {
    assertHas(errorsWith("/spec/restartPolicy", "\"Sometimes\""), "spec.restartPolicy: Unsupported value: "
        + "\"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"");
    assertHas(errorsWith("/spec/dnsPolicy", "\"Cluster\""), "spec.dnsPolicy: Unsupported value: \"Cluster\": "
        + "supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\"");
    assertValid(errorsWith("/spec/dnsPolicy", "\"ClusterFirstWithHostNet\""));
    assertHas(errorsWith("/spec/dnsPolicy", "\"None\""),
        "spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None");
    assertHas(errorsWith("/spec/terminationGracePeriodSeconds", "-5"),
        "spec.terminationGracePeriodSeconds: Invalid value: -5: must be greater than or equal to 0");
    assertHas(errorsWith("/spec/activeDeadlineSeconds", "0"),
        "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive");
    assertHasPrefix(errorsWith("/spec/serviceAccountName", "\"Bad!\""),
        "spec.serviceAccountName: Invalid value: \"Bad!\": a lowercase RFC 1123 subdomain");
  }

  @Test
  void volumes() {
    assertHas(errorsWith("/spec/volumes/1/name", "\"data\""), "spec.volumes[1].name: Duplicate value: \"data\"");
    assertHasPrefix(errorsWith("/spec/volumes/1/name", "\"Config\""), "spec.volumes[1].name: Invalid value: \"Config\"");
    assertHas(errorsWith("/spec/volumes/1/secret", "{\"secretName\":\"s\"}"),
        "spec.volumes[1].configMap: Forbidden: may not specify more than 1 volume type");
    assertHas(errorsWith("/spec/volumes/1/configMap/name", "\"\""), "spec.volumes[1].configMap.name: Required value");
    assertHas(errorsWith("/spec/volumes/1/configMap/defaultMode", "1000"), "spec.volumes[1].configMap.defaultMode: "
        + "Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive");
  }

  @Test
  void tolerations() {
    assertHas(errorsWith("/spec/tolerations", "[{\"key\":\"k\",\"operator\":\"Exists\",\"value\":\"v\"}]"),
        "spec.tolerations[0].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'");
    assertHas(errorsWith("/spec/tolerations", "[{\"key\":\"k\",\"effect\":\"NoSchedule\",\"tolerationSeconds\":5}]"),
        "spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set");
  }

  @Test
  void hostNetworkPortsFollowContainerPorts() {
    ObjectNode pod = set(fixture("pod"), "/spec/hostNetwork", "true");
    assertValid(createErrors(strategy, pod));
    assertEquals(80, pod.at("/spec/containers/0/ports/0/hostPort").asInt());
    ObjectNode clash = set(set(fixture("pod"), "/spec/hostNetwork", "true"), "/spec/containers/0/ports/0/hostPort", "81");
    assertHas(createErrors(strategy, clash),
        "spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true");
  }

  @Test
  void defaultsAreIdempotent() {
    ObjectNode once = create(strategy, fixture("pod"));
    ObjectNode twice = once.deepCopy();
    strategy.applyDefaults(twice);
    assertEquals(once, twice);
  }
}
