package io.capstan.controllers.cronjob;

import io.capstan.controllers.meta.OwnerReferences;
import io.capstan.controllers.runtime.Controller;
import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.runtime.Reconciler;
import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.runtime.Result;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Starts a CronJob's jobs on its schedule, as upstream's CronJob controller (v2): keep {@code
 * status.active} to the unfinished jobs it owns (recording {@code lastSuccessfulTime} as they
 * complete); unless suspended, start a job for the most recent scheduled time that has passed and
 * is not already started ({@code <name>-<minutes since the epoch>}), skipping it when it is later
 * than {@code startingDeadlineSeconds}, or while a job runs under {@code concurrencyPolicy:
 * Forbid}; under {@code Replace}, delete the running jobs first; delete finished jobs beyond the
 * history limits; write {@code /status}; look again at the next scheduled time.
 *
 * <p>Watches: CronJobs (primary) and Jobs through their controller ownerReference. The clock is
 * injectable, so tests move time instead of waiting for it.
 */
public final class CronJobReconciler implements Reconciler {
  public static final String NAME = "cronjob";
  /** As upstream's nextScheduleDelta: wake a little after the scheduled time, never before. */
  static final Duration NEXT_SCHEDULE_DELTA = Duration.ofMillis(100);
  private static final Logger LOG = Logger.getLogger(CronJobReconciler.class);
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private final KubernetesClient client;
  private final SharedIndexInformer<CronJob> cronJobs;
  private final SharedIndexInformer<Job> jobs;
  private final Clock clock;

  public CronJobReconciler(KubernetesClient client, SharedIndexInformer<CronJob> cronJobs,
      SharedIndexInformer<Job> jobs, Clock clock) {
    this.client = client;
    this.cronJobs = cronJobs;
    this.jobs = jobs;
    this.clock = clock;
  }

  /** The CronJob controller over {@code manager}'s shared CronJob and Job informers. */
  public static Controller controller(ControllerManager manager, int workers) {
    return controller(manager, workers, Clock.systemUTC());
  }

  /** As {@link #controller(ControllerManager, int)} with another clock. */
  public static Controller controller(ControllerManager manager, int workers, Clock clock) {
    SharedIndexInformer<CronJob> cronJobs = manager.informer(CronJob.class);
    SharedIndexInformer<Job> jobs = manager.informer(Job.class);
    return Controller.builder(NAME, new CronJobReconciler(manager.client(), cronJobs, jobs, clock))
        .workers(workers).primary(cronJobs).owns(jobs, CronJob.class).build();
  }

  @Override
  public Result reconcile(Request request) {
    CronJob cached = cronJobs.getStore().getByKey(request.cacheKey());
    if (cached == null || cached.getSpec() == null) {
      return Result.done();
    }
    List<Job> owned = jobs.getIndexer().byIndex(Cache.NAMESPACE_INDEX, request.namespace()).stream()
        .filter(j -> OwnerReferences.controllerOf(j).filter(r -> cached.getMetadata().getUid().equals(r.getUid()))
            .isPresent()).toList();
    CronJob cj = cached;
    CronJobState cachedState = CronJobState.of(cached);
    if (owned.stream().anyMatch(j -> CronJobJobs.finishedAs(j).isEmpty() && !cachedState.isActive(j.getMetadata().getUid()))) {
      // An unfinished job missing from status.active: the cached status may predate this
      // controller's last write. Read it from the API, as upstream does.
      CronJob fresh = client.batch().v1().cronjobs().inNamespace(request.namespace()).withName(request.name()).get();
      if (fresh == null || !fresh.getMetadata().getUid().equals(cached.getMetadata().getUid())) {
        return Result.done();
      }
      cj = fresh;
    }
    CronJobState state = CronJobState.of(cj);
    trackActive(request, state, owned);
    Duration requeue;
    try {
      requeue = schedule(request, cj, state);
    } finally {
      deleteJobs(CronJobJobs.beyondHistory(owned, cj.getSpec().getSuccessfulJobsHistoryLimit(),
          cj.getSpec().getFailedJobsHistoryLimit()));
    }
    try {
      writeStatus(cj, state);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      // The cache had not shown this controller's last write yet; its event brings the key back.
      LOG.debugf("stale cronjob controller=%s namespace=%s name=%s", NAME, request.namespace(), request.name());
      return Result.requeueWithBackoff();
    }
    return requeue == null ? Result.done() : Result.requeueAfter(requeue);
  }

  /**
   * Brings {@code status.active} in line with the owned jobs: finished ones leave it (complete
   * ones set lastSuccessfulTime) and references to jobs that no longer exist are dropped.
   */
  private void trackActive(Request request, CronJobState state, List<Job> owned) {
    for (Job job : owned) {
      String uid = job.getMetadata().getUid();
      Optional<String> finished = CronJobJobs.finishedAs(job);
      if (finished.isEmpty() && !state.isActive(uid)) {
        // As upstream: not adopted into status.active (a job made with kubectl create job
        // --from=cronjob/..., or one whose status write was lost); its time is never started
        // again, as the job name is taken.
        LOG.debugf("unexpected job controller=%s namespace=%s name=%s job=%s", NAME, request.namespace(),
            request.name(), job.getMetadata().getName());
      } else if (finished.isPresent() && state.isActive(uid)) {
        state.active.removeIf(r -> uid.equals(r.getUid()));
        String completed = job.getStatus().getCompletionTime();
        if ("Complete".equals(finished.get()) && completed != null
            && (state.lastSuccessfulTime == null || Instant.parse(completed).isAfter(Instant.parse(state.lastSuccessfulTime)))) {
          state.lastSuccessfulTime = completed;
        }
      }
    }
    for (ObjectReference ref : List.copyOf(state.active)) {
      if (owned.stream().anyMatch(j -> j.getMetadata().getUid().equals(ref.getUid()))) {
        continue;
      }
      Job live = client.batch().v1().jobs().inNamespace(request.namespace()).withName(ref.getName()).get();
      if (live == null || !live.getMetadata().getUid().equals(ref.getUid())) {
        state.active.remove(ref);
      }
    }
  }

  /** Starts the job due now, if any; returns when to look again (null: only on a change). */
  private Duration schedule(Request request, CronJob cj, CronJobState state) {
    if (cj.getMetadata().getDeletionTimestamp() != null || Boolean.TRUE.equals(cj.getSpec().getSuspend())) {
      return null;
    }
    ZoneId zone;
    CronSchedule schedule;
    try {
      zone = cj.getSpec().getTimeZone() == null ? ZoneOffset.UTC : ZoneId.of(cj.getSpec().getTimeZone());
      schedule = CronSchedule.parse(cj.getSpec().getSchedule());
    } catch (RuntimeException e) {
      // Bad input is not retried: the next edit of the CronJob brings it back.
      LOG.warnf("unusable schedule controller=%s namespace=%s name=%s: %s", NAME, request.namespace(),
          request.name(), e.getMessage());
      return null;
    }
    Instant now = clock.instant();
    Long deadline = cj.getSpec().getStartingDeadlineSeconds();
    Instant earliest = state.lastScheduleTime != null ? Instant.parse(state.lastScheduleTime)
        : Instant.parse(cj.getMetadata().getCreationTimestamp());
    if (deadline != null && now.minusSeconds(deadline).isAfter(earliest)) {
      earliest = now.minusSeconds(deadline);
    }
    MissedSchedules missed = MissedSchedules.between(schedule, zone, earliest, now);
    Duration next = schedule.next(now, zone).map(t -> Duration.between(now, t).plus(NEXT_SCHEDULE_DELTA))
        .orElse(null);
    if (missed.mostRecent().isEmpty()) {
      return next;
    }
    if (missed.count() > MissedSchedules.TOO_MANY) {
      LOG.warnf("too many missed start times controller=%s namespace=%s name=%s count>%d", NAME,
          request.namespace(), request.name(), MissedSchedules.TOO_MANY);
    }
    Instant scheduled = missed.mostRecent().get();
    if (deadline != null && scheduled.plusSeconds(deadline).isBefore(now)) {
      LOG.infof("missed schedule controller=%s namespace=%s name=%s time=%s", NAME, request.namespace(),
          request.name(), scheduled);
      return next;
    }
    String name = CronJobJobs.name(cj, scheduled);
    if (state.active.stream().anyMatch(r -> name.equals(r.getName()))
        || scheduled.toString().equals(state.lastScheduleTime)) {
      return next;
    }
    CronJob fresh = client.batch().v1().cronjobs().inNamespace(request.namespace()).withName(request.name()).get();
    if (fresh == null || !Objects.equals(fresh.getMetadata().getResourceVersion(), cj.getMetadata().getResourceVersion())) {
      // Decide on the current status only (the cache may lag this controller's last write);
      // the change's event brings the key back.
      return Duration.ofMillis(100);
    }
    String policy = Objects.requireNonNullElse(cj.getSpec().getConcurrencyPolicy(), "Allow");
    if ("Forbid".equals(policy) && !state.active.isEmpty()) {
      LOG.debugf("job already active controller=%s namespace=%s name=%s", NAME, request.namespace(), request.name());
      return next;
    }
    if ("Replace".equals(policy)) {
      for (ObjectReference ref : List.copyOf(state.active)) {
        client.batch().v1().jobs().inNamespace(request.namespace()).withName(ref.getName())
            .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        state.active.remove(ref);
      }
    }
    Job created;
    try {
      created = client.batch().v1().jobs().inNamespace(request.namespace())
          .resource(CronJobJobs.newJob(cj, scheduled, zone)).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      created = client.batch().v1().jobs().inNamespace(request.namespace()).withName(name).get();
      boolean ours = created != null && OwnerReferences.controllerOf(created)
          .filter(r -> cj.getMetadata().getUid().equals(r.getUid())).isPresent();
      if (!ours) {
        LOG.warnf("job exists and is not ours controller=%s namespace=%s name=%s job=%s", NAME,
            request.namespace(), request.name(), name);
        return next;
      }
    }
    LOG.infof("created job controller=%s namespace=%s name=%s job=%s", NAME, request.namespace(), request.name(), name);
    if (CronJobJobs.finishedAs(created).isEmpty() && !state.isActive(created.getMetadata().getUid())) {
      state.active.add(CronJobJobs.reference(created));
    }
    state.lastScheduleTime = scheduled.toString();
    return next;
  }

  private void deleteJobs(List<Job> victims) {
    for (Job job : victims) {
      client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
          .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }
  }

  private void writeStatus(CronJob cj, CronJobState state) {
    if (state.sameAs(CronJobState.of(cj))) {
      return;
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("active", state.active.isEmpty() ? null : new ArrayList<>(state.active));
    status.put("lastScheduleTime", state.lastScheduleTime);
    status.put("lastSuccessfulTime", state.lastSuccessfulTime);
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("metadata", Map.of("resourceVersion", cj.getMetadata().getResourceVersion()));
    patch.put("status", status);
    client.batch().v1().cronjobs().inNamespace(cj.getMetadata().getNamespace()).withName(cj.getMetadata().getName())
        .subresource("status").patch(MERGE, client.getKubernetesSerialization().asJson(patch));
  }
}
