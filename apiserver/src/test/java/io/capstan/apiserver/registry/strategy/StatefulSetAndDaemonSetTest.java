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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatefulSetAndDaemonSetTest {
  private final WorkloadStrategy sts = new WorkloadStrategy("StatefulSet");
  private final WorkloadStrategy ds = new WorkloadStrategy("DaemonSet");

  @Test
  void statefulSetDefaults() {
    ObjectNode obj = create(sts, fixture("statefulset"));
    assertValid(StrategyTesting.messages(sts.validate(obj)));
    JsonNode spec = obj.path("spec");
    assertEquals("OrderedReady", spec.path("podManagementPolicy").asText());
    assertEquals("{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":0}}", spec.path("updateStrategy").toString());
    assertEquals("{\"whenDeleted\":\"Retain\",\"whenScaled\":\"Retain\"}",
        spec.path("persistentVolumeClaimRetentionPolicy").toString());
    assertEquals(1, spec.path("replicas").asInt());
    assertEquals(10, spec.path("revisionHistoryLimit").asInt());
    assertEquals("Filesystem", spec.at("/volumeClaimTemplates/0/spec/volumeMode").asText());
    assertEquals("Always", spec.at("/template/spec/restartPolicy").asText());
  }

  @Test
  void statefulSetRejections() {
    assertHas(createErrors(sts, set(fixture("statefulset"), "/spec/podManagementPolicy", "\"Random\"")),
        "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'");
    assertValid(createErrors(sts, set(fixture("statefulset"), "/spec/podManagementPolicy", "\"Parallel\"")));
    assertHas(createErrors(sts, set(fixture("statefulset"), "/spec/updateStrategy",
        "{\"type\":\"OnDelete\",\"rollingUpdate\":{\"partition\":1}}")),
        "spec.updateStrategy.rollingUpdate: Invalid value: {\"partition\":1}: only allowed for updateStrategy 'RollingUpdate'");
    assertHas(createErrors(sts, set(fixture("statefulset"), "/spec/updateStrategy/rollingUpdate", "{\"partition\":-1}")),
        "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0");
    assertHas(createErrors(sts, set(fixture("statefulset"), "/spec/template/spec/restartPolicy", "\"Never\"")),
        "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"");
    assertHas(createErrors(sts, set(fixture("statefulset"), "/spec/selector", "{}")),
        "spec.selector: Invalid value: {}: empty selector is invalid for statefulset");
    assertHasPrefix(createErrors(sts, set(fixture("statefulset"), "/metadata/name", "\"db.v1\"")),
        "metadata.name: Invalid value: \"db.v1\": a lowercase RFC 1123 label");
  }

  @Test
  void statefulSetUpdatesAreLimited() {
    ObjectNode stored = create(sts, fixture("statefulset"));
    assertValid(updateErrors(sts, set(stored.deepCopy(), "/spec/replicas", "3"), stored));
    assertValid(updateErrors(sts, set(stored.deepCopy(), "/spec/template/spec/containers/0/image", "\"postgres:17\""), stored));
    assertEquals(List.of("spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', "
        + "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"),
        updateErrors(sts, set(stored.deepCopy(), "/spec/serviceName", "\"db2\""), stored));
  }

  @Test
  void daemonSetDefaults() {
    ObjectNode obj = create(ds, fixture("daemonset"));
    assertValid(StrategyTesting.messages(ds.validate(obj)));
    assertEquals("{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":1,\"maxSurge\":0}}",
        obj.at("/spec/updateStrategy").toString());
    assertEquals(10, obj.at("/spec/revisionHistoryLimit").asInt());
  }

  @Test
  void daemonSetRejections() {
    assertHas(createErrors(ds, set(fixture("daemonset"), "/spec/updateStrategy/rollingUpdate", "{\"maxUnavailable\":0,\"maxSurge\":0}")),
        "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0");
    assertHas(createErrors(ds, set(fixture("daemonset"), "/spec/updateStrategy/rollingUpdate", "{\"maxUnavailable\":1,\"maxSurge\":\"10%\"}")),
        "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 10%: may not be set when maxUnavailable is non-zero");
    assertHas(createErrors(ds, set(fixture("daemonset"), "/spec/updateStrategy", "{\"type\":\"Surge\"}")),
        "spec.updateStrategy: Unsupported value: \"Surge\": supported values: \"RollingUpdate\", \"OnDelete\"");
    assertHas(createErrors(ds, set(fixture("daemonset"), "/spec/template/spec/restartPolicy", "\"OnFailure\"")),
        "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"");
    assertHas(createErrors(ds, remove(fixture("daemonset"), "/spec/selector")),
        "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"agent\"}: `selector` does not match template `labels`");
  }

  @Test
  void daemonSetSelectorIsImmutable() {
    ObjectNode stored = create(ds, fixture("daemonset"));
    ObjectNode changed = set(stored.deepCopy(), "/spec/selector/matchLabels", "{}");
    set(changed, "/spec/selector/matchExpressions", "[{\"key\":\"app\",\"operator\":\"Exists\"}]");
    assertHasPrefix(updateErrors(ds, changed, stored), "spec.selector: Invalid value: ");
  }
}
