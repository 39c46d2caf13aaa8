package io.capstan.controllers.pods;

import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.runtime.Result;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The pod creations and deletions a workload controller made that its pod cache has not shown
 * yet, per owner (ReplicaSet, StatefulSet, DaemonSet). While any is pending the controller must not
 * count pods again, or a lagging cache makes it create (or delete) the same replicas twice; upstream's {@code
 * ControllerExpectations} solve the same problem with counters fed by event handlers.
 *
 * <p>Here every write is remembered by pod name and checked against the cache's current state, so
 * the check stays level-based: a creation is observed once the cache holds the pod; a deletion
 * once the cache no longer holds that pod (same UID) or holds it terminating. An entry the cache
 * never confirms (a pod created and deleted again before the informer saw it) expires after
 * {@link #TTL}, upstream's ExpectationsTimeout.
 */
public final class Expectations {
  public static final Duration TTL = Duration.ofMinutes(5);

  private record Pending(String podName, String podUid, Instant expires) {
    boolean observed(Pod cached) {
      if (podUid == null) {
        return cached != null;
      }
      return cached == null || !podUid.equals(cached.getMetadata().getUid())
          || cached.getMetadata().getDeletionTimestamp() != null;
    }
  }

  private final Clock clock;
  private final Map<Request, List<Pending>> pending = new ConcurrentHashMap<>();

  public Expectations(Clock clock) {
    this.clock = clock;
  }

  /** Remembers that {@code owner} created the pod named {@code podName}. */
  public void expectCreation(Request owner, String podName) {
    add(owner, new Pending(podName, null, clock.instant().plus(TTL)));
  }

  /** Remembers that {@code owner} is deleting {@code pod}. */
  public void expectDeletion(Request owner, Pod pod) {
    add(owner, new Pending(pod.getMetadata().getName(), pod.getMetadata().getUid(), clock.instant().plus(TTL)));
  }

  /** Forgets the write to {@code podName}: it failed, so the cache will never show it. */
  public void cancel(Request owner, String podName) {
    pending.computeIfPresent(owner, (k, list) -> {
      List<Pending> left = new ArrayList<>(list);
      left.removeIf(p -> p.podName().equals(podName));
      return left.isEmpty() ? null : List.copyOf(left);
    });
  }

  /**
   * Drops the entries of {@code owner} that the cache now shows (looked up by pod name) or that
   * expired; returns whether none is left.
   */
  public boolean satisfied(Request owner, Function<String, Pod> cachedPod) {
    Instant now = clock.instant();
    List<Pending> left = pending.computeIfPresent(owner, (k, list) -> {
      List<Pending> rest = list.stream()
          .filter(p -> p.expires().isAfter(now) && !p.observed(cachedPod.apply(p.podName())))
          .toList();
      return rest.isEmpty() ? null : rest;
    });
    return left == null;
  }

  /** How long until the first pending entry of {@code owner} expires. */
  public Optional<Duration> untilFirstExpiry(Request owner) {
    Instant now = clock.instant();
    return pending.getOrDefault(owner, List.of()).stream()
        .map(p -> Duration.between(now, p.expires())).min(Duration::compareTo);
  }

  /**
   * What to do while writes of {@code owner} are unconfirmed: look again when the first of them
   * expires (the pod events that settle them enqueue the owner anyway; this is the fallback).
   */
  public Result recheck(Request owner) {
    return untilFirstExpiry(owner).map(Result::requeueAfter).orElse(Result.requeueWithBackoff());
  }

  /** Forgets everything about {@code owner} (it is gone). */
  public void forget(Request owner) {
    pending.remove(owner);
  }

  private void add(Request owner, Pending entry) {
    pending.merge(owner, List.of(entry), (a, b) -> {
      List<Pending> all = new ArrayList<>(a);
      all.addAll(b);
      return List.copyOf(all);
    });
  }
}
