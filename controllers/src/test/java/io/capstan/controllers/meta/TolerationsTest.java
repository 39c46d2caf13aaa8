package io.capstan.controllers.meta;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TolerationsTest {
  static Toleration tol(String key, String op, String value, String effect) {
    return new Toleration(effect, key, op, null, value);
  }

  final Taint gpu = new Taint("NoSchedule", "gpu", null, "true");

  @Test
  void anEmptyKeyWithExistsToleratesEverything() {
    assertTrue(Tolerations.tolerates(tol(null, "Exists", null, null), gpu));
    assertTrue(Tolerations.tolerates(tol("", "Exists", null, ""), new Taint("NoExecute", "x", null, null)));
    assertFalse(Tolerations.tolerates(tol("", "Exists", null, "NoExecute"), gpu), "the effect still counts");
    assertFalse(Tolerations.tolerates(tol(null, "Equal", "true", null), gpu), "an empty key needs Exists");
    assertFalse(Tolerations.tolerates(tol(null, null, null, null), gpu));
  }

  @Test
  void equalComparesTheValueAndIsTheDefault() {
    assertTrue(Tolerations.tolerates(tol("gpu", "Equal", "true", "NoSchedule"), gpu));
    assertTrue(Tolerations.tolerates(tol("gpu", null, "true", null), gpu), "no operator means Equal");
    assertTrue(Tolerations.tolerates(tol("gpu", "", "true", null), gpu));
    assertFalse(Tolerations.tolerates(tol("gpu", "Equal", "false", null), gpu));
    assertFalse(Tolerations.tolerates(tol("gpu", "Equal", null, null), gpu));
    Taint noValue = new Taint("NoExecute", "k", null, null);
    assertTrue(Tolerations.tolerates(tol("k", "Equal", "", null), noValue), "a missing value is empty");
    assertTrue(Tolerations.tolerates(tol("k", null, null, null), noValue));
  }

  @Test
  void existsToleratesAnyValueOfItsKey() {
    assertTrue(Tolerations.tolerates(tol("gpu", "Exists", null, null), gpu));
    assertFalse(Tolerations.tolerates(tol("tpu", "Exists", null, null), gpu));
    assertFalse(Tolerations.tolerates(tol("gpu", "Lt", "true", null), gpu), "unknown operators tolerate nothing");
  }

  @Test
  void anEmptyEffectMatchesEveryEffect() {
    assertTrue(Tolerations.tolerates(tol("gpu", "Exists", null, ""), gpu));
    assertFalse(Tolerations.tolerates(tol("gpu", "Exists", null, "NoExecute"), gpu));
    assertFalse(Tolerations.tolerates(tol("gpu", "Exists", null, "PreferNoSchedule"), gpu));
  }

  @Test
  void anyToleratesOverAList() {
    assertFalse(Tolerations.anyTolerates(null, gpu));
    assertFalse(Tolerations.anyTolerates(List.of(), gpu));
    assertTrue(Tolerations.anyTolerates(List.of(tol("a", "Exists", null, null), tol("gpu", null, "true", null)), gpu));
    assertTrue(Tolerations.anyTolerates(List.of(tol("n", "Exists", null, "NoSchedule")), "n", "", "NoSchedule"));
    assertFalse(Tolerations.anyTolerates(List.of(tol("n", "Exists", null, "NoSchedule")), "n", "", "NoExecute"));
  }
}
