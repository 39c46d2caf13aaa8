package io.capstan.apiserver.registry.strategy;

import static io.capstan.apiserver.registry.strategy.StrategyTesting.assertHas;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.assertHasPrefix;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.assertValid;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.create;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.createErrors;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.fixture;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.remove;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.set;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.updateErrors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploymentStrategyTest {
  private final WorkloadStrategy strategy = new WorkloadStrategy("Deployment");

  private List<String> errorsWith(String pointer, String value) {
    return createErrors(strategy, set(fixture("deployment"), pointer, value));
  }

  @Test
  void defaults() {
    ObjectNode d = create(strategy, fixture("deployment"));
    assertValid(StrategyTesting.messages(strategy.validate(d)));
    JsonNode spec = d.path("spec");
    assertEquals(1, spec.path("replicas").asInt());
    assertEquals("RollingUpdate", spec.at("/strategy/type").asText());
    assertEquals("25%", spec.at("/strategy/rollingUpdate/maxSurge").asText());
    assertEquals("25%", spec.at("/strategy/rollingUpdate/maxUnavailable").asText());
    assertEquals(10, spec.path("revisionHistoryLimit").asInt());
    assertEquals(600, spec.path("progressDeadlineSeconds").asInt());
    JsonNode pod = spec.at("/template/spec");
    assertEquals("Always", pod.path("restartPolicy").asText());
    assertEquals("ClusterFirst", pod.path("dnsPolicy").asText());
    assertEquals(30, pod.path("terminationGracePeriodSeconds").asInt());
    assertEquals("IfNotPresent", pod.at("/containers/0/imagePullPolicy").asText());
    assertFalse(pod.has("serviceAccountName"), "templates get no service account default");
    assertFalse(pod.has("enableServiceLinks"), "nor the other Pod-only defaults");
    assertFalse(pod.at("/containers/0/resources").has("requests"), "requests default to limits on Pods only");
  }

  @Test
  void recreateTakesNoRollingUpdate() {
    ObjectNode d = set(fixture("deployment"), "/spec/strategy", "{\"type\":\"Recreate\"}");
    assertValid(createErrors(strategy, d));
    assertFalse(d.at("/spec/strategy").has("rollingUpdate"));
    assertEquals(List.of("spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"),
        errorsWith("/spec/strategy", "{\"type\":\"Recreate\",\"rollingUpdate\":{\"maxSurge\":1}}"));
    assertHas(errorsWith("/spec/strategy", "{\"type\":\"BlueGreen\"}"),
        "spec.strategy: Unsupported value: \"BlueGreen\": supported values: \"Recreate\", \"RollingUpdate\"");
  }

  @Test
  void rollingUpdateBounds() {
    assertEquals(List.of("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0%: may not be 0 when `maxSurge` is 0"),
        errorsWith("/spec/strategy", "{\"rollingUpdate\":{\"maxSurge\":0,\"maxUnavailable\":\"0%\"}}"));
    assertHas(errorsWith("/spec/strategy/rollingUpdate", "{\"maxUnavailable\":\"120%\"}"),
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 120%: must not be greater than 100%");
    assertHasPrefix(errorsWith("/spec/strategy/rollingUpdate", "{\"maxSurge\":\"lots\"}"),
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: lots: a valid percent string must be");
    assertHas(errorsWith("/spec/strategy/rollingUpdate", "{\"maxSurge\":-1}"),
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0");
  }

  @Test
  void counts() {
    assertHas(errorsWith("/spec/replicas", "-1"), "spec.replicas: Invalid value: -1: must be greater than or equal to 0");
    assertHas(errorsWith("/spec/revisionHistoryLimit", "-1"),
        "spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0");
    ObjectNode slow = set(fixture("deployment"), "/spec/minReadySeconds", "600");
    assertHas(createErrors(strategy, slow), "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds");
  }

  @Test
  void selector() {
    List<String> missing = createErrors(strategy, remove(fixture("deployment"), "/spec/selector"));
    assertHas(missing, "spec.selector: Required value");
    assertHas(missing, "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: "
        + "`selector` does not match template `labels`");
    assertHas(errorsWith("/spec/selector", "{}"), "spec.selector: Invalid value: {}: empty selector is invalid for deployment");
    assertEquals(List.of("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: "
        + "`selector` does not match template `labels`"), errorsWith("/spec/selector/matchLabels/app", "\"api\""));
    assertHas(errorsWith("/spec/selector", "{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"In\"}]}"),
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'");
  }

  @Test
  void templateRestartPolicyIsAlways() {
    assertEquals(List.of("spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\""),
        errorsWith("/spec/template/spec/restartPolicy", "\"OnFailure\""));
    assertHas(errorsWith("/spec/template/spec/activeDeadlineSeconds", "10"),
        "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported");
  }

  @Test
  void templatePodSpecIsValidated() {
    assertHas(createErrors(strategy, remove(fixture("deployment"), "/spec/template/spec/containers")),
        "spec.template.spec.containers: Required value");
    assertHas(errorsWith("/spec/template/spec/containers/0/image", "\"\""), "spec.template.spec.containers[0].image: Required value");
    assertHasPrefix(errorsWith("/spec/template/metadata/labels/app", "\"we b\""), "spec.template.labels: Invalid value: \"we b\"");
  }

  @Test
  void selectorIsImmutable() {
    ObjectNode stored = create(strategy, fixture("deployment"));
    ObjectNode changed = set(set(stored.deepCopy(), "/spec/selector/matchLabels/tier", "\"front\""),
        "/spec/template/metadata/labels/tier", "\"front\"");
    assertEquals(List.of("spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"web\",\"tier\":\"front\"}}: field is immutable"),
        updateErrors(strategy, changed, stored));
    assertValid(updateErrors(strategy, set(stored.deepCopy(), "/spec/replicas", "5"), stored));
  }

  @Test
  void generationMovesOnSpecOrAnnotationChanges() {
    ObjectNode stored = create(strategy, fixture("deployment"));
    assertFalse(strategy.specChanged(fixture("deployment"), stored), "an undefaulted copy of the same spec");
    assertFalse(strategy.specChanged(set(fixture("deployment"), "/metadata/labels", "{\"a\":\"b\"}"), stored));
    assertTrue(strategy.specChanged(set(fixture("deployment"), "/spec/replicas", "3"), stored));
    assertTrue(strategy.specChanged(set(fixture("deployment"), "/metadata/annotations", "{\"a\":\"b\"}"), stored));
  }

  @Test
  void replicaSetsShareTheRules() {
    WorkloadStrategy rs = new WorkloadStrategy("ReplicaSet");
    ObjectNode obj = create(rs, fixture("replicaset"));
    assertValid(StrategyTesting.messages(rs.validate(obj)));
    assertEquals(1, obj.at("/spec/replicas").asInt());
    assertFalse(obj.path("spec").has("strategy"));
    assertHas(createErrors(rs, set(fixture("replicaset"), "/spec/template/spec/restartPolicy", "\"Never\"")),
        "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"");
  }
}
