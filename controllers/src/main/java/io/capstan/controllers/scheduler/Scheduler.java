package io.capstan.controllers.scheduler;

import io.capstan.controllers.rest.RawApis;
import io.capstan.controllers.runtime.Controller;
import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.runtime.Reconciler;
import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.runtime.Result;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The scheduler, as a controller with one worker: that worker is the scheduling loop. For each
 * pending pod (no {@code spec.nodeName}, {@code schedulerName} unset or {@code default-scheduler},
 * not terminating, not ended) it runs the {@link SchedulingAlgorithm} against the {@link
 * SchedulerCache}, assumes the pod onto the chosen node (so the next pod already sees the room
 * taken) and hands the binding to the {@link Binder}; it never waits on HTTP. A failed binding
 * forgets the assumption and retries the pod. A pod that fits nowhere is reported by the {@link
 * FailureRecorder} and retried per {@link Retries}: after its backoff (1 s to 10 s) and when a
 * node is added or changes, or an assigned pod is deleted, ends or is relabelled.
 */
public final class Scheduler implements Reconciler {
  public static final String NAME = "scheduler";
  /** The schedulerName this scheduler answers to (and the name of an unset one). */
  public static final String DEFAULT_SCHEDULER = "default-scheduler";
  /** Bindings in flight at most. */
  static final int MAX_BINDINGS_IN_FLIGHT = 32;
  private static final Logger LOG = Logger.getLogger(Scheduler.class);

  private final SharedIndexInformer<Pod> pods;
  private SharedIndexInformer<Node> nodes;
  /** How often the loop compares its cache with the informers' stores until they agree. */
  private static final Duration WARM_CHECK = Duration.ofMillis(50);
  /** When the loop last compared them (nanoTime; the loop only). */
  private long lastWarmCheck = System.nanoTime() - WARM_CHECK.toNanos();
  /** Set once the cache has caught up with the informers (read and written by the loop only). */
  private boolean warm;
  private final SchedulerCache cache;
  private final SchedulingAlgorithm algorithm;
  private final Binder binder;
  private final FailureRecorder recorder;
  private final Retries retries = new Retries();
  /** Delayed retries; its thread ends when idle, so a stopped scheduler leaves none behind. */
  private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "scheduler-retries");
    t.setDaemon(true);
    return t;
  });
  private volatile Controller controller;

  private Scheduler(KubernetesClient client, SharedIndexInformer<Pod> pods, SchedulingAlgorithm algorithm) {
    this.pods = pods;
    timer.setKeepAliveTime(30, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
    timer.setRemoveOnCancelPolicy(true);
    this.cache = new SchedulerCache(this::clusterChanged);
    this.algorithm = algorithm;
    this.recorder = new FailureRecorder(client, Clock.systemUTC());
    this.binder = new Binder(RawApis.of(client), MAX_BINDINGS_IN_FLIGHT, new Binder.Outcome() {
      @Override
      public void bound(PodInfo pod, String node) {
        recorder.forget(pod.key());
      }

      @Override
      public void failed(PodInfo pod, String node, boolean retry, String why) {
        cache.forget(pod.uid);
        if (retry) {
          LOG.infof("binding failed, retrying pod=%s node=%s: %s", pod.key(), node, why);
          later(pod.namespace, pod.name, Retries.INITIAL);
        } else {
          // Bound elsewhere or gone: the informer's event settles it; look once more anyway.
          later(pod.namespace, pod.name, Duration.ZERO);
        }
      }
    });
  }

  /**
   * The scheduler over {@code manager}'s shared pod and node informers. It has exactly one worker
   * (the scheduling loop); it runs, like every controller of the manager, only while leading.
   */
  public static Controller controller(ControllerManager manager) {
    SharedIndexInformer<Pod> pods = manager.informer(Pod.class);
    SharedIndexInformer<Node> nodes = manager.informer(Node.class);
    Scheduler scheduler = new Scheduler(manager.client(), pods, SchedulingAlgorithm.defaults());
    scheduler.nodes = nodes;
    nodes.addEventHandler(scheduler.cache.nodeHandler());
    pods.addEventHandler(scheduler.cache.podHandler());
    Controller controller = Controller.builder(NAME, scheduler).workers(1)
        .primary(pods).watches(nodes, n -> List.of()).build();
    scheduler.controller = controller;
    return controller;
  }

  /** Whether this scheduler is responsible for {@code pod} and it still needs a node. */
  static boolean pending(Pod pod) {
    var spec = pod.getSpec();
    if (spec == null || (spec.getNodeName() != null && !spec.getNodeName().isEmpty())) {
      return false;
    }
    String scheduler = spec.getSchedulerName();
    if (scheduler != null && !scheduler.isEmpty() && !scheduler.equals(DEFAULT_SCHEDULER)) {
      return false;
    }
    return pod.getMetadata().getDeletionTimestamp() == null && !SchedulerCache.ended(pod);
  }

  @Override
  public Result reconcile(Request request) {
    String key = request.cacheKey();
    Pod pod = pods.getStore().getByKey(key);
    if (pod == null || !pending(pod)) {
      retries.forget(key);
      recorder.forget(key);
      return Result.done();
    }
    if (!warm) {
      // Counting the informers' stores copies them: look at most every WARM_CHECK, not for
      // every one of the (possibly thousands of) keys queued at start.
      long now = System.nanoTime();
      if (now - lastWarmCheck < WARM_CHECK.toNanos()) {
        return Result.requeueAfter(WARM_CHECK);
      }
      lastWarmCheck = now;
      warm = cache.caughtUp(nodes.getStore().list().size(), pods.getStore().list().size());
      if (!warm) {
        return Result.requeueAfter(WARM_CHECK);
      }
      LOG.infof("scheduling: cache caught up nodes=%d", cache.nodes().size());
    }
    if (cache.isAssumed(pod.getMetadata().getUid())) {
      return Result.done(); // its binding is in flight or not yet seen
    }
    Optional<Duration> wait = retries.wait(key, pod);
    if (wait.isPresent()) {
      return Result.requeueAfter(wait.get());
    }
    PodInfo info = new PodInfo(pod);
    SchedulingAlgorithm.Decision decision;
    synchronized (cache) {
      decision = algorithm.schedule(info, cache);
      if (decision.node() != null) {
        cache.assume(info, decision.node());
      }
    }
    if (decision.node() != null) {
      retries.forget(key);
      binder.bind(info, decision.node());
      return Result.done();
    }
    String message = decision.error().message();
    LOG.debugf("unschedulable pod=%s: %s", key, message);
    recorder.unschedulable(pod, message);
    return Result.requeueAfter(retries.failed(key, pod));
  }

  private void clusterChanged() {
    retries.clusterChanged((key, delay) -> {
      int slash = key.indexOf('/');
      later(key.substring(0, slash), key.substring(slash + 1), delay);
    });
  }

  private void later(String namespace, String name, Duration delay) {
    Controller c = controller;
    if (c == null) {
      return;
    }
    Request request = new Request(namespace, name);
    if (delay.isZero()) {
      c.enqueue(request);
    } else {
      timer.schedule(() -> c.enqueue(request), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
