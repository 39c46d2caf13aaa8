package io.capstan.apiserver.registry.strategy;

import io.capstan.apiserver.validation.Names;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** batch/v1 CronJobs: schedule, time zone, concurrency policy, history limits, the job template. */
public final class CronJobStrategy implements Strategy {
  private static final List<String> CONCURRENCY = List.of("Allow", "Forbid", "Replace");
  private static final Pattern ZONE_PART = Pattern.compile("[A-Za-z._+\\-0-9]+");
  /** Jobs get an 11-character "-<time>" suffix and must stay within 63 characters. */
  private static final int MAX_NAME = 52;

  @Override
  public void prepareForCreate(ObjectNode obj) {
    obj.remove("status");
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    StatusRules.keepStoredStatus(obj, old);
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode spec = Checks.object(obj, "spec");
    ContainerDefaults.putIfUnset(spec, "concurrencyPolicy", "Allow");
    if (!Checks.present(spec.get("suspend"))) {
      spec.put("suspend", false);
    }
    AppsDefaults.intIfUnset(spec, "successfulJobsHistoryLimit", 3);
    AppsDefaults.intIfUnset(spec, "failedJobsHistoryLimit", 1);
    Templates.applyDefaults(Checks.object(Checks.object(spec, "jobTemplate"), "spec"));
  }

  @Override
  public boolean specChanged(ObjectNode obj, ObjectNode old) {
    return Immutable.specChanged(this, obj, old);
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errs = new ArrayList<>(MetadataValidation.validate(obj, Names.Format.SUBDOMAIN));
    spec(obj.path("spec"), null, errs);
    String name = obj.path("metadata").path("name").asText("");
    if (name.length() > MAX_NAME) {
      errs.add(FieldError.invalid("metadata.name", name, "must be no more than " + MAX_NAME + " characters"));
    }
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errs = new ArrayList<>(MetadataValidation.validate(obj, Names.Format.SUBDOMAIN));
    spec(obj.path("spec"), old.path("spec"), errs);
    return errs;
  }

  private static void spec(JsonNode spec, JsonNode oldSpec, List<FieldError> errs) {
    String schedule = Checks.text(spec, "schedule");
    if (schedule.isEmpty()) {
      errs.add(FieldError.required("spec.schedule", ""));
    } else {
      String err = CronSchedule.error(schedule);
      if (err != null) {
        errs.add(FieldError.invalid("spec.schedule", schedule, err));
      }
      boolean oldHadTz = oldSpec != null && Checks.text(oldSpec, "schedule").contains("TZ");
      if (oldHadTz && schedule.contains("TZ") && Checks.present(spec.get("timeZone"))) {
        errs.add(FieldError.invalid("spec.schedule", schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
      } else if (!oldHadTz && schedule.contains("TZ")) {
        errs.add(FieldError.invalid("spec.schedule", schedule,
            "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
      }
    }
    Checks.nonNegative(spec, "startingDeadlineSeconds", "spec.startingDeadlineSeconds", errs);
    if (oldSpec == null || !Immutable.same(spec.get("timeZone"), oldSpec.get("timeZone"))) {
      timeZone(spec.get("timeZone"), errs);
    }
    String policy = Checks.text(spec, "concurrencyPolicy");
    if (policy.isEmpty()) {
      errs.add(FieldError.required("spec.concurrencyPolicy", ""));
    } else if (!CONCURRENCY.contains(policy)) {
      errs.add(FieldError.notSupported("spec.concurrencyPolicy", policy, CONCURRENCY));
    }
    JsonNode jobSpec = spec.path("jobTemplate").path("spec");
    JobValidation.jobSpec(jobSpec, "spec.jobTemplate.spec", errs);
    if (Checks.present(jobSpec.get("selector"))) {
      errs.add(FieldError.invalid("spec.jobTemplate.spec.selector", Checks.json(jobSpec.get("selector")),
          "`selector` will be auto-generated"));
    }
    if (jobSpec.path("manualSelector").asBoolean(false)) {
      errs.add(FieldError.notSupported("spec.jobTemplate.spec.manualSelector", Checks.raw("true"),
          List.of("nil", "false")));
    }
    Checks.nonNegative(spec, "successfulJobsHistoryLimit", "spec.successfulJobsHistoryLimit", errs);
    Checks.nonNegative(spec, "failedJobsHistoryLimit", "spec.failedJobsHistoryLimit", errs);
  }

  private static void timeZone(JsonNode zone, List<FieldError> errs) {
    if (!Checks.present(zone)) {
      return;
    }
    String tz = zone.asText();
    String path = "spec.timeZone";
    if (tz.isEmpty()) {
      errs.add(FieldError.invalid(path, tz, "timeZone must be nil or non-empty string"));
      return;
    }
    for (String part : tz.split("/", -1)) {
      if (part.equals(".") || part.equals("..") || part.startsWith("-") || !ZONE_PART.matcher(part).matches()) {
        errs.add(FieldError.invalid(path, tz, "unknown time zone " + tz));
        return;
      }
    }
    if (tz.equalsIgnoreCase("Local")) {
      errs.add(FieldError.invalid(path, tz,
          "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
    } else if (!tz.equals("UTC") && !ZoneId.getAvailableZoneIds().contains(tz)) {
      errs.add(FieldError.invalid(path, tz, "unknown time zone " + tz));
    }
  }
}
