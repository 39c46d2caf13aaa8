package io.capstan.controllers.job;

import io.capstan.controllers.meta.LabelSelectors;
import io.capstan.controllers.meta.OwnerReferences;
import io.capstan.controllers.pods.ActivePods;
import io.capstan.controllers.pods.Expectations;
import io.capstan.controllers.pods.PodClaims;
import io.capstan.controllers.runtime.Controller;
import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.runtime.Reconciler;
import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.runtime.Result;
import io.capstan.controllers.runtime.TerminalException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Runs each Job's pods to completion, as upstream's job controller (NonIndexed and Indexed
 * completion modes, see {@link IndexedPods}):
 * claim the pods, count those that finished (through the {@code batch.kubernetes.io/job-tracking}
 * finalizer, see {@link JobTracker}), decide whether the job is done (completions reached), has
 * failed (more failed pods than {@code backoffLimit}; {@code activeDeadlineSeconds} passed) or
 * needs pods created or deleted to keep {@code min(parallelism, completions - succeeded)} active,
 * then write {@code /status}. A suspended job has no active pods. Failed pods are replaced after
 * an exponential backoff (10 s doubling, at most 10 min, as upstream).
 *
 * <p>Watches: Jobs (primary); pods through their controller ownerReference; orphan pods to the
 * jobs whose selector matches them and, when they still carry the tracking finalizer, to the job
 * named in their {@code batch.kubernetes.io/job-name} label, so the finalizer of a pod whose job
 * is gone or finished is removed.
 */
public final class JobReconciler implements Reconciler {
  public static final String NAME = "job";
  /** Upstream's default pod-failure backoff and its cap. */
  public static final Duration POD_FAILURE_BACKOFF = Duration.ofSeconds(10);
  static final Duration MAX_POD_FAILURE_BACKOFF = Duration.ofMinutes(10);
  /** The spec.managedBy value of jobs this controller runs (as well as jobs without one). */
  static final String MANAGED_BY = "kubernetes.io/job-controller";
  static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
  static final int BURST = 500;
  private static final Logger LOG = Logger.getLogger(JobReconciler.class);

  private final KubernetesClient client;
  private final SharedIndexInformer<Job> jobs;
  private final SharedIndexInformer<Pod> pods;
  private final Clock clock;
  private final Expectations expectations;
  private final FinalizerRemovals removals = new FinalizerRemovals();
  private final FailureBackoff backoff;
  private final PodClaims claims;
  private final JobTracker tracker;
  private final JobPodControl control;

  public JobReconciler(KubernetesClient client, SharedIndexInformer<Job> jobs, SharedIndexInformer<Pod> pods,
      Clock clock, Duration podFailureBackoff) {
    this.client = client;
    this.jobs = jobs;
    this.pods = pods;
    this.clock = clock;
    this.expectations = new Expectations(clock);
    this.backoff = new FailureBackoff(clock, podFailureBackoff, MAX_POD_FAILURE_BACKOFF);
    this.claims = new PodClaims(client);
    this.tracker = new JobTracker(client, claims, removals, backoff, clock);
    this.control = new JobPodControl(client, claims, expectations, removals);
  }

  /** The Job controller over {@code manager}'s shared Job and pod informers. */
  public static Controller controller(ControllerManager manager, int workers) {
    return controller(manager, workers, Clock.systemUTC(), POD_FAILURE_BACKOFF);
  }

  /** As {@link #controller(ControllerManager, int)} with another clock and pod-failure backoff. */
  public static Controller controller(ControllerManager manager, int workers, Clock clock, Duration backoff) {
    SharedIndexInformer<Job> jobs = manager.informer(Job.class);
    SharedIndexInformer<Pod> pods = manager.informer(Pod.class);
    JobReconciler reconciler = new JobReconciler(manager.client(), jobs, pods, clock, backoff);
    return Controller.builder(NAME, reconciler).workers(workers)
        .primary(jobs).owns(pods, Job.class).watches(pods, reconciler::related).build();
  }

  @Override
  public Result reconcile(Request request) throws TerminalException {
    Job cached = jobs.getStore().getByKey(request.cacheKey());
    if (cached == null) {
      expectations.forget(request);
      removals.forget(request);
      backoff.forget(request);
      control.releaseFinalizers(request, null, podsIn(request.namespace()));
      return Result.done();
    }
    if (JobConditions.isFinished(cached)) {
      backoff.forget(request);
      control.releaseFinalizers(request, cached, podsIn(request.namespace()));
      return Result.done();
    }
    String managedBy = cached.getSpec() == null ? null : cached.getSpec().getManagedBy();
    if (managedBy != null && !MANAGED_BY.equals(managedBy)) {
      // Another controller owns this job's pods and status (spec.managedBy).
      return Result.done();
    }
    if (cached.getSpec() == null || cached.getSpec().getTemplate() == null) {
      throw new TerminalException("job " + request + " has no pod template");
    }
    Job job = new JobBuilder(cached).build();
    boolean settled = expectations.satisfied(request, name -> cachedPod(request, name));
    List<Pod> owned = claims.claim(job, job.getSpec().getSelector(), podsIn(request.namespace()),
        JobPods.TRACKING_FINALIZER);
    JobSync sync = new JobSync(job, owned, removals.expected(request, name -> cachedPod(request, name)));
    List<Pod> active = owned.stream().filter(ActivePods::isActive).toList();
    sync.active = active.size();
    sync.ready = (int) active.stream().filter(ActivePods::isReady).count();
    sync.terminating = (int) owned.stream().filter(JobPods::isTerminating).count();
    List<Pod> newSucceeded = sync.newSucceeded();
    List<Pod> newFailed = sync.newFailed();
    sync.succeeded = sync.counted(sync.status.getSucceeded()) + newSucceeded.size() + sync.uncountedSucceeded.size();
    if (JobSpecs.indexed(job) && JobSpecs.completions(job) != null) {
      sync.completedIndexes = IndexedPods.succeeded(job, owned, JobSpecs.completions(job));
      sync.succeeded = sync.completedIndexes.size();
    }
    sync.failed = sync.counted(sync.status.getFailed()) + newFailed.size() + sync.uncountedFailed.size();
    Instant now = clock.instant();
    if (sync.status.getStartTime() == null && !JobSpecs.suspended(job)) {
      sync.status.setStartTime(JobTimes.format(now));
    }
    sync.backoff = backoff.next(request, newSucceeded, newFailed);
    Duration requeue = decideFinished(sync, owned, now);
    RuntimeException failure = null;
    try {
      if (sync.finished != null) {
        int deleted = control.deleteActive(sync, active);
        if (deleted != active.size() || !settled) {
          // Not yet: some pods may still be unknown to the cache or not deleted.
          sync.finished = null;
        }
      } else {
        boolean managed = settled && job.getMetadata().getDeletionTimestamp() == null;
        if (managed) {
          requeue = min(requeue, control.manage(request, sync, active, backoff.remaining(sync.backoff)));
        }
        Integer completions = JobSpecs.completions(job);
        boolean complete = completions == null ? sync.succeeded > 0 && sync.active == 0
            : sync.succeeded >= completions && sync.active == 0;
        if (complete) {
          sync.finished = JobConditions.condition(JobConditions.SUCCESS_CRITERIA_MET, "True", "CompletionsReached",
              "Reached expected number of succeeded pods", now);
        } else if (managed) {
          suspendCondition(sync, now);
        }
      }
    } catch (RuntimeException e) {
      failure = e;
    }
    sync.status.setActive(sync.active);
    sync.status.setReady(sync.ready);
    sync.status.setTerminating(sync.terminating);
    try {
      tracker.track(request, sync, cached.getStatus());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409 || failure != null) {
        throw failure != null ? failure : e;
      }
      // The cache had not shown this controller's last status write yet: its event brings the
      // job back; the backoff covers the case where it already came.
      LOG.debugf("stale job controller=%s namespace=%s name=%s", NAME, request.namespace(), request.name());
      return Result.requeueWithBackoff();
    }
    if (failure != null) {
      throw failure;
    }
    if (!settled) {
      return expectations.recheck(request);
    }
    return requeue == null ? Result.done() : Result.requeueAfter(requeue);
  }

  /**
   * Sets {@code sync.finished} when the job met its success criteria before, or failed (backoff
   * limit, deadline); returns when to look again for the deadline, or null.
   */
  private Duration decideFinished(JobSync sync, List<Pod> owned, Instant now) {
    Job job = sync.job;
    List<JobCondition> conditions = sync.status.getConditions();
    var met = JobConditions.find(conditions, JobConditions.SUCCESS_CRITERIA_MET).filter(c -> "True".equals(c.getStatus()));
    if (met.isPresent()) {
      sync.finished = met.get();
      return null;
    }
    var target = JobConditions.find(conditions, JobConditions.FAILURE_TARGET).filter(c -> "True".equals(c.getStatus()));
    if (target.isPresent()) {
      sync.finished = JobConditions.condition(JobConditions.FAILED, "True", target.get().getReason(),
          target.get().getMessage(), now);
      return null;
    }
    if (sync.failed > JobSpecs.backoffLimit(job) || JobPods.pastBackoffLimitOnFailure(job, owned)) {
      sync.finished = JobConditions.condition(JobConditions.FAILURE_TARGET, "True", "BackoffLimitExceeded",
          "Job has reached the specified backoff limit", now);
      return null;
    }
    Long deadline = job.getSpec().getActiveDeadlineSeconds();
    if (deadline == null || JobSpecs.suspended(job) || sync.status.getStartTime() == null) {
      return null;
    }
    Duration left = Duration.between(now, JobTimes.parse(sync.status.getStartTime()).plusSeconds(deadline));
    if (left.isNegative() || left.isZero()) {
      sync.finished = JobConditions.condition(JobConditions.FAILURE_TARGET, "True", "DeadlineExceeded",
          "Job was active longer than specified deadline", now);
      return null;
    }
    return left;
  }

  /** The Suspended condition; resuming restarts the clock of activeDeadlineSeconds. */
  private static void suspendCondition(JobSync sync, Instant now) {
    if (JobSpecs.suspended(sync.job)) {
      JobConditions.ensure(sync.status.getConditions(), JobConditions.SUSPENDED, "True", "JobSuspended",
          "Job suspended", now);
    } else if (JobConditions.ensure(sync.status.getConditions(), JobConditions.SUSPENDED, "False", "JobResumed",
        "Job resumed", now)) {
      sync.status.setStartTime(JobTimes.format(now));
    }
  }

  /**
   * The jobs an orphan {@code pod} matters to: those whose selector matches it (they may adopt
   * it) and, if it carries the tracking finalizer, the job its job-name label names.
   */
  public List<Request> related(Pod pod) {
    if (OwnerReferences.controllerOf(pod).isPresent()) {
      return List.of();
    }
    String ns = pod.getMetadata().getNamespace();
    List<Request> out = new ArrayList<>(jobs.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns).stream()
        .filter(j -> j.getSpec() != null
            && LabelSelectors.matches(j.getSpec().getSelector(), pod.getMetadata().getLabels()))
        .map(Request::of).toList());
    Map<String, String> labels = pod.getMetadata().getLabels();
    if (JobPods.hasTrackingFinalizer(pod) && labels != null && labels.containsKey(JOB_NAME_LABEL)) {
      Request named = new Request(ns, labels.get(JOB_NAME_LABEL));
      if (!out.contains(named)) {
        out.add(named);
      }
    }
    return out;
  }

  private Pod cachedPod(Request job, String podName) {
    return pods.getStore().getByKey(job.namespace() + "/" + podName);
  }

  private List<Pod> podsIn(String namespace) {
    return pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
  }

  private static Duration min(Duration a, Duration b) {
    if (a == null) {
      return b;
    }
    return b == null || a.compareTo(b) <= 0 ? a : b;
  }
}
