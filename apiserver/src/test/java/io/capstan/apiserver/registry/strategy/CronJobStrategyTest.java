package io.capstan.apiserver.registry.strategy;

import static io.capstan.apiserver.registry.strategy.StrategyTesting.assertHas;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.assertValid;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.create;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.createErrors;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.fixture;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.remove;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.set;
import static io.capstan.apiserver.registry.strategy.StrategyTesting.updateErrors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronJobStrategyTest {
  private final CronJobStrategy strategy = new CronJobStrategy();

  private List<String> errorsWith(String pointer, String value) {
    return createErrors(strategy, set(fixture("cronjob"), pointer, value));
  }

  @Test
  void defaults() {
    ObjectNode cj = create(strategy, fixture("cronjob"));
    assertValid(StrategyTesting.messages(strategy.validate(cj)));
    JsonNode spec = cj.path("spec");
    assertEquals("Allow", spec.path("concurrencyPolicy").asText());
    assertEquals(false, spec.path("suspend").asBoolean(true));
    assertEquals(3, spec.path("successfulJobsHistoryLimit").asInt());
    assertEquals(1, spec.path("failedJobsHistoryLimit").asInt());
    JsonNode jobSpec = spec.at("/jobTemplate/spec");
    assertTrue(jobSpec.path("parallelism").isMissingNode(), "job defaults are not applied to templates");
    assertEquals("ClusterFirst", jobSpec.at("/template/spec/dnsPolicy").asText());
    assertEquals("Always", jobSpec.at("/template/spec/containers/0/imagePullPolicy").asText());
  }

  @Test
  void schedule() {
    assertHas(createErrors(strategy, remove(fixture("cronjob"), "/spec/schedule")), "spec.schedule: Required value");
    assertHas(errorsWith("/spec/schedule", "\"every minute\""),
        "spec.schedule: Invalid value: \"every minute\": expected exactly 5 fields, found 2: [every minute]");
    assertHas(errorsWith("/spec/schedule", "\"61 * * * *\""),
        "spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61");
    assertHas(errorsWith("/spec/schedule", "\"@fortnightly\""),
        "spec.schedule: Invalid value: \"@fortnightly\": unrecognized descriptor: @fortnightly");
    assertHas(errorsWith("/spec/schedule", "\"TZ=UTC 0 * * * *\""),
        "spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
    for (String ok : List.of("@hourly", "@daily", "@every 1h30m", "0 0 * * MON-FRI", "*/15 9-17 * JAN,JUL ?",
        "0 12 1 */2 0", "5/10 * * * *")) {
      assertValid(errorsWith("/spec/schedule", "\"" + ok + "\""));
    }
  }

  @Test
  void scheduleParserMessages() {
    assertNull(CronSchedule.error("0 0 1 1 *"));
    assertEquals("beginning of range (5) beyond end of range (1): 5-1", CronSchedule.error("5-1 * * * *"));
    assertEquals("failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax", CronSchedule.error("x * * * *"));
    assertEquals("beginning of range (0) below minimum (1): 0", CronSchedule.error("* * 0 * *"));
    assertEquals("end of range (7) above maximum (6): 7", CronSchedule.error("* * * * 7"));
    assertEquals("step of range should be a positive number: */0", CronSchedule.error("*/0 * * * *"));
    assertEquals("too many slashes: 1/2/3", CronSchedule.error("1/2/3 * * * *"));
    assertEquals("failed to parse duration @every soon: time: invalid duration \"soon\"", CronSchedule.error("@every soon"));
  }

  @Test
  void policiesAndLimits() {
    assertHas(errorsWith("/spec/concurrencyPolicy", "\"Queue\""),
        "spec.concurrencyPolicy: Unsupported value: \"Queue\": supported values: \"Allow\", \"Forbid\", \"Replace\"");
    assertHas(errorsWith("/spec/successfulJobsHistoryLimit", "-1"),
        "spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0");
    assertHas(errorsWith("/spec/startingDeadlineSeconds", "-10"),
        "spec.startingDeadlineSeconds: Invalid value: -10: must be greater than or equal to 0");
    assertHas(errorsWith("/spec/timeZone", "\"Mars/Olympus\""), "spec.timeZone: Invalid value: \"Mars/Olympus\": "
        + "unknown time zone Mars/Olympus");
    assertValid(errorsWith("/spec/timeZone", "\"Europe/Paris\""));
  }

  @Test
  void jobTemplateRules() {
    assertEquals(List.of("spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: \"Always\": "
        + "supported values: \"OnFailure\", \"Never\""),
        errorsWith("/spec/jobTemplate/spec/template/spec/restartPolicy", "\"Always\""));
    assertHas(errorsWith("/spec/jobTemplate/spec/selector", "{\"matchLabels\":{\"a\":\"b\"}}"),
        "spec.jobTemplate.spec.selector: Invalid value: {\"matchLabels\":{\"a\":\"b\"}}: `selector` will be auto-generated");
    assertHas(errorsWith("/spec/jobTemplate/spec/manualSelector", "true"),
        "spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: \"nil\", \"false\"");
  }

  @Test
  void longNames() {
    assertHas(errorsWith("/metadata/name", "\"" + "a".repeat(53) + "\""),
        "metadata.name: Invalid value: \"" + "a".repeat(53) + "\": must be no more than 52 characters");
  }

  @Test
  void updates() {
    ObjectNode stored = create(strategy, fixture("cronjob"));
    assertValid(updateErrors(strategy, set(stored.deepCopy(), "/spec/schedule", "\"0 * * * *\""), stored));
    assertHas(updateErrors(strategy, set(stored.deepCopy(), "/spec/schedule", "\"0 * *\""), stored),
        "spec.schedule: Invalid value: \"0 * *\": expected exactly 5 fields, found 3: [0 * *]");
  }
}
