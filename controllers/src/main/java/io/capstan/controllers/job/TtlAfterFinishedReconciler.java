package io.capstan.controllers.job;

import io.capstan.controllers.runtime.Controller;
import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.runtime.Reconciler;
import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.runtime.Result;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Deletes finished Jobs once {@code spec.ttlSecondsAfterFinished} has passed since they finished
 * (the lastTransitionTime of their Complete or Failed condition), as upstream's TTL-after-finished
 * controller. Before deleting it re-reads the job from the API, so a TTL changed or a job
 * restarted meanwhile is honoured. The deletion propagates in the background: the job goes at
 * once, the garbage collector removes its pods (upstream asks for Foreground).
 */
public final class TtlAfterFinishedReconciler implements Reconciler {
  public static final String NAME = "ttl-after-finished";
  private static final Logger LOG = Logger.getLogger(TtlAfterFinishedReconciler.class);

  private final KubernetesClient client;
  private final SharedIndexInformer<Job> jobs;
  private final Clock clock;

  public TtlAfterFinishedReconciler(KubernetesClient client, SharedIndexInformer<Job> jobs, Clock clock) {
    this.client = client;
    this.jobs = jobs;
    this.clock = clock;
  }

  /** The TTL-after-finished controller over {@code manager}'s shared Job informer. */
  public static Controller controller(ControllerManager manager, int workers) {
    SharedIndexInformer<Job> jobs = manager.informer(Job.class);
    return Controller.builder(NAME, new TtlAfterFinishedReconciler(manager.client(), jobs, Clock.systemUTC()))
        .workers(workers).primary(jobs).build();
  }

  @Override
  public Result reconcile(Request request) {
    Job cached = jobs.getStore().getByKey(request.cacheKey());
    Optional<Duration> left = cached == null ? Optional.empty() : timeLeft(cached);
    if (left.isEmpty()) {
      return Result.done();
    }
    if (left.get().compareTo(Duration.ZERO) > 0) {
      return Result.requeueAfter(left.get());
    }
    Job fresh = client.batch().v1().jobs().inNamespace(request.namespace()).withName(request.name()).get();
    Optional<Duration> freshLeft = fresh == null ? Optional.empty() : timeLeft(fresh);
    if (freshLeft.isEmpty()) {
      return Result.done();
    }
    if (freshLeft.get().compareTo(Duration.ZERO) > 0) {
      return Result.requeueAfter(freshLeft.get());
    }
    LOG.infof("deleting finished job controller=%s namespace=%s name=%s", NAME, request.namespace(), request.name());
    client.batch().v1().jobs().inNamespace(request.namespace()).withName(request.name())
        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    return Result.done();
  }

  /** How long until {@code job} expires (zero or negative: expired); empty when it never does. */
  private Optional<Duration> timeLeft(Job job) {
    Integer ttl = job.getSpec() == null ? null : job.getSpec().getTtlSecondsAfterFinished();
    if (ttl == null || job.getMetadata().getDeletionTimestamp() != null) {
      return Optional.empty();
    }
    Optional<Instant> finished = JobConditions.finishedAt(job);
    return finished.map(t -> Duration.between(clock.instant(), t.plusSeconds(ttl)));
  }
}
