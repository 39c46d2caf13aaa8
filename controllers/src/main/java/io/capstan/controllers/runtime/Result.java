package io.capstan.controllers.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link Reconciler} asks of the queue after a successful pass.
 *
 * <ul>
 *   <li>{@link #done()}: converged (or waiting for an event); the key's failure count is reset.
 *   <li>{@link #requeueWithBackoff()}: run again after the key's exponential backoff.
 *   <li>{@link #requeueAfter(Duration)}: run again after that delay (a timer the cluster will not
 *       signal, such as minReadySeconds elapsing); the failure count is reset.
 * </ul>
 *
 * @param requeue whether to requeue with backoff (ignored when {@code requeueAfter} is positive)
 * @param requeueAfter a fixed delay before the next pass; {@link Duration#ZERO} for none
 */
public record Result(boolean requeue, Duration requeueAfter) {
  private static final Result DONE = new Result(false, Duration.ZERO);
  private static final Result REQUEUE = new Result(true, Duration.ZERO);
  private static final Duration MIN_DELAY = Duration.ofMillis(1);

  public Result {
    Objects.requireNonNull(requeueAfter, "requeueAfter");
    if (requeueAfter.isNegative()) {
      throw new IllegalArgumentException("negative requeueAfter: " + requeueAfter);
    }
  }

  public static Result done() {
    return DONE;
  }

  public static Result requeueWithBackoff() {
    return REQUEUE;
  }

  /** Requeue after {@code delay}; a delay that is zero or already past means 1 ms. */
  public static Result requeueAfter(Duration delay) {
    return new Result(false, delay.compareTo(MIN_DELAY) < 0 ? MIN_DELAY : delay);
  }
}
