package io.capstan.apiserver.registry.strategy;

import static io.capstan.apiserver.registry.strategy.StrategyTesting.assertHas;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.assertValid;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.create;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.fixture;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.remove;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.set;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.updateErrors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodUpdateTest {
  private final PodStrategy strategy = new PodStrategy();
  private final ObjectNode stored = create(strategy, set(fixture("pod"), "/spec/activeDeadlineSeconds", "600"));

  private List<String> update(String pointer, String value) {
    return updateErrors(strategy, set(stored.deepCopy(), pointer, value), stored);
  }

  @Test
  void unchangedSpecIsFine() {
    assertValid(updateErrors(strategy, stored.deepCopy(), stored));
    assertValid(update("/metadata/labels/tier", "\"front\""));
  }

  @Test
  void imagesMayChange() {
    assertValid(update("/spec/containers/0/image", "\"nginx:1.27\""));
    assertValid(update("/spec/initContainers/0/image", "\"busybox:1.37\""));
  }

  @Test
  void otherFieldsMayNot() {
    List<String> errs = update("/spec/containers/0/ports/0/containerPort", "8080");
    assertEquals(1, errs.size(), errs::toString);
    assertTrue(errs.get(0).startsWith("spec: Forbidden: " + PodUpdateRules.UPDATABLE + "\n"), errs.get(0));
    assertTrue(errs.get(0).contains("spec.containers[0].ports[0].containerPort: 80 -> 8080"), errs.get(0));
    assertHas(update("/spec/restartPolicy", "\"Never\"").stream().map(e -> e.split("\n")[0]).toList(),
        "spec: Forbidden: " + PodUpdateRules.UPDATABLE);
  }

  @Test
  void forbiddenAtFieldSpecWithUpstreamWording() {
    ObjectNode obj = set(stored.deepCopy(), "/spec/nodeSelector", "{\"disk\":\"ssd\"}");
    strategy.prepareForUpdate(obj, stored);
    strategy.applyDefaults(obj);
    List<FieldError> errs = strategy.validateUpdate(obj, stored);
    assertEquals("spec", errs.get(0).field());
    assertEquals(FieldError.Type.FORBIDDEN, errs.get(0).type());
    assertTrue(errs.get(0).detail().startsWith("pod updates may not change fields other than `spec.containers[*].image`,"
        + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing "
        + "tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"));
  }

  @Test
  void containersMayNotBeAddedOrRemoved() {
    assertEquals(List.of("spec.containers: Forbidden: pod updates may not add or remove containers"),
        update("/spec/containers/1", "{\"name\":\"side\",\"image\":\"x\"}"));
    assertEquals(List.of("spec.initContainers: Forbidden: pod updates may not add or remove containers"),
        updateErrors(strategy, remove(stored.deepCopy(), "/spec/initContainers"), stored));
  }

  @Test
  void activeDeadlineSecondsMayOnlyShrink() {
    assertValid(update("/spec/activeDeadlineSeconds", "300"));
    assertEquals(List.of("spec.activeDeadlineSeconds: Invalid value: 900: must be less than or equal to previous value"),
        update("/spec/activeDeadlineSeconds", "900"));
    assertHas(updateErrors(strategy, remove(stored.deepCopy(), "/spec/activeDeadlineSeconds"), stored),
        "spec.activeDeadlineSeconds: Invalid value: \"null\": must not update from a positive integer to nil value");
  }

  @Test
  void tolerationsMayOnlyBeAdded() {
    ObjectNode tolerating = create(strategy, set(fixture("pod"), "/spec/tolerations",
        "[{\"key\":\"a\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":30}]"));
    ObjectNode added = set(tolerating.deepCopy(), "/spec/tolerations/1", "{\"key\":\"b\",\"operator\":\"Exists\"}");
    assertValid(updateErrors(strategy, added, tolerating));
    ObjectNode seconds = set(tolerating.deepCopy(), "/spec/tolerations/0/tolerationSeconds", "60");
    assertValid(updateErrors(strategy, seconds, tolerating));
    ObjectNode changed = set(tolerating.deepCopy(), "/spec/tolerations/0/key", "\"c\"");
    assertHas(updateErrors(strategy, changed, tolerating),
        "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds");
  }

  @Test
  void terminationGracePeriodMayChange() {
    assertValid(update("/spec/terminationGracePeriodSeconds", "5"));
  }

  @Test
  void statusIsKeptFromStorage() {
    ObjectNode obj = set(stored.deepCopy(), "/status/phase", "\"Running\"");
    updateErrors(strategy, obj, stored);
    assertEquals("Pending", obj.at("/status/phase").asText());
  }

  @Test
  void aStatusUpdateValidatesTheMetadataNotTheStoredSpec() {
    // a spec stored before a stricter rule existed: a status write of it is still accepted
    ObjectNode legacy = set(stored.deepCopy(), "/spec/containers/0/name", "\"Not_A_Name\"");
    ObjectNode withStatus = set(legacy.deepCopy(), "/status/phase", "\"Running\"");
    assertValid(strategy.validateStatusUpdate(withStatus, legacy).stream().map(FieldError::toString).toList());
    assertHas(strategy.validateUpdate(withStatus, legacy).stream().map(e -> e.field()).toList(),
        "spec.containers[0].name");
    ObjectNode badName = set(withStatus.deepCopy(), "/metadata/name", "\"Bad_Name\"");
    assertHas(strategy.validateStatusUpdate(badName, legacy).stream().map(e -> e.field()).toList(), "metadata.name");
  }
}
