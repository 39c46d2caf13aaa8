package io.capstan.apiserver.registry.strategy;

import static io.capstan.apiserver.registry.strategy.StrategyTesting.UID;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobStrategyTest {
  private final JobStrategy strategy = new JobStrategy();

  private List<String> errorsWith(String pointer, String value) {
    return createErrors(strategy, set(fixture("job"), pointer, value));
  }

  @Test
  void defaults() {
    ObjectNode job = create(strategy, fixture("job"));
    assertValid(StrategyTesting.messages(strategy.validate(job)));
    JsonNode spec = job.path("spec");
    assertEquals(1, spec.path("completions").asInt());
    assertEquals(1, spec.path("parallelism").asInt());
    assertEquals(6, spec.path("backoffLimit").asInt());
    assertEquals("NonIndexed", spec.path("completionMode").asText());
    assertEquals(false, spec.path("suspend").asBoolean(true));
    assertEquals(false, spec.path("manualSelector").asBoolean(true));
    assertEquals("TerminatingOrFailed", spec.path("podReplacementPolicy").asText());
    assertEquals("Never", spec.at("/template/spec/restartPolicy").asText());
    assertEquals("ClusterFirst", spec.at("/template/spec/dnsPolicy").asText());
  }

  @Test
  void parallelismAloneLeavesCompletionsUnset() {
    JsonNode spec = create(strategy, set(fixture("job"), "/spec/parallelism", "3")).path("spec");
    assertEquals(3, spec.path("parallelism").asInt());
    assertTrue(spec.path("completions").isMissingNode());
  }

  @Test
  void selectorAndLabelsAreGeneratedFromTheUid() {
    ObjectNode job = create(strategy, fixture("job"));
    assertEquals("{\"matchLabels\":{\"batch.kubernetes.io/controller-uid\":\"" + UID + "\"}}",
        job.at("/spec/selector").toString());
    JsonNode labels = job.at("/spec/template/metadata/labels");
    assertEquals(UID, labels.path("controller-uid").asText());
    assertEquals(UID, labels.path("batch.kubernetes.io/controller-uid").asText());
    assertEquals("pi", labels.path("job-name").asText());
    assertEquals("pi", labels.path("batch.kubernetes.io/job-name").asText());
    assertEquals(labels, job.at("/metadata/labels"), "a job without labels takes its template's");
  }

  @Test
  void generatedNamesAreLabelledToo() {
    ObjectNode job = remove(fixture("job"), "/metadata/name");
    set(job, "/metadata/generateName", "\"pi-\"");
    strategy.prepareForCreate(job);
    ((ObjectNode) job.get("metadata")).put("name", "pi-x7k2q");
    strategy.applyDefaults(job);
    assertEquals("pi-x7k2q", job.at("/spec/template/metadata/labels/batch.kubernetes.io~1job-name").asText());
    assertEquals("pi-x7k2q", job.at("/spec/template/metadata/labels/job-name").asText());
    assertValid(StrategyTesting.messages(strategy.validate(job)));
  }

  @Test
  void userSelectorWithoutManualSelectorIsRejected() {
    ObjectNode job = set(fixture("job"), "/spec/selector", "{\"matchLabels\":{\"app\":\"pi\"}}");
    set(job, "/spec/template/metadata", "{\"labels\":{\"app\":\"pi\"}}");
    List<String> errs = createErrors(strategy, job);
    assertHas(errs, "spec.selector: Invalid value: " + job.at("/spec/selector") + ": `selector` not auto-generated");
  }

  @Test
  void manualSelector() {
    ObjectNode job = set(fixture("job"), "/spec/manualSelector", "true");
    set(job, "/spec/selector", "{\"matchLabels\":{\"app\":\"pi\"}}");
    set(job, "/spec/template/metadata", "{\"labels\":{\"app\":\"pi\"}}");
    assertValid(createErrors(strategy, job));
    assertEquals("{\"app\":\"pi\"}", job.at("/spec/template/metadata/labels").toString(), "nothing generated");
    ObjectNode missing = set(fixture("job"), "/spec/manualSelector", "true");
    assertHas(createErrors(strategy, missing), "spec.selector: Required value");
  }

  @Test
  void restartPolicyMustBeOnFailureOrNever() {
    assertEquals(List.of("spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: "
        + "\"OnFailure\", \"Never\""), createErrors(strategy, remove(fixture("job"), "/spec/template/spec/restartPolicy")));
    assertValid(errorsWith("/spec/template/spec/restartPolicy", "\"OnFailure\""));
  }

  @Test
  void counts() {
    assertHas(errorsWith("/spec/backoffLimit", "-1"), "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0");
    assertHas(errorsWith("/spec/parallelism", "-2"), "spec.parallelism: Invalid value: -2: must be greater than or equal to 0");
    assertHas(errorsWith("/spec/completionMode", "\"Sometimes\""),
        "spec.completionMode: Unsupported value: \"Sometimes\": supported values: \"NonIndexed\", \"Indexed\"");
    assertHasPrefix(errorsWith("/spec/template/spec/containers/0/name", "\"PI\""), "spec.template.spec.containers[0].name: Invalid value: \"PI\"");
  }

  @Test
  void templateIsImmutable() {
    ObjectNode stored = create(strategy, fixture("job"));
    ObjectNode changed = set(stored.deepCopy(), "/spec/template/spec/containers/0/image", "\"perl:5.40\"");
    List<String> errs = updateErrors(strategy, changed, stored);
    assertEquals(1, errs.size(), errs::toString);
    assertTrue(errs.get(0).startsWith("spec.template: Invalid value: {"), errs.get(0));
    assertTrue(errs.get(0).endsWith(": field is immutable"), errs.get(0));
    assertValid(updateErrors(strategy, set(stored.deepCopy(), "/spec/backoffLimit", "2"), stored));
    assertValid(updateErrors(strategy, set(stored.deepCopy(), "/metadata/labels/team", "\"math\""), stored));
  }

  @Test
  void selectorAndCompletionsAreImmutable() {
    ObjectNode stored = create(strategy, fixture("job"));
    assertHas(updateErrors(strategy, set(stored.deepCopy(), "/spec/completions", "4"), stored),
        "spec.completions: Invalid value: 4: field is immutable");
    ObjectNode selector = set(stored.deepCopy(), "/spec/selector/matchLabels/x", "\"y\"");
    assertHasPrefix(updateErrors(strategy, selector, stored), "spec.selector: Invalid value: {\"matchLabels\"");
  }

  @Test
  void suspendedJobsMayChangeSchedulingDirectives() {
    ObjectNode stored = create(strategy, set(fixture("job"), "/spec/suspend", "true"));
    ObjectNode changed = set(stored.deepCopy(), "/spec/template/spec/nodeSelector", "{\"zone\":\"a\"}");
    assertValid(updateErrors(strategy, changed, stored));
  }
}
