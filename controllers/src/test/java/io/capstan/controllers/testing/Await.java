package io.capstan.controllers.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling for an eventual state; timeouts are generous and nothing asserts on how long it took. */
public final class Await {
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Await() {}

  public static void until(String what, BooleanSupplier condition) {
    until(what, condition, () -> "");
  }

  /** Polls {@code condition} until it holds; fails with {@code state} after {@link #TIMEOUT}. */
  public static void until(String what, BooleanSupplier condition, Supplier<String> state) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      sleep(Duration.ofMillis(50));
    }
    fail("timed out waiting until " + what + "; last state: " + state.get());
  }

  /** Checks that {@code condition} holds throughout {@code period}. */
  public static void holds(String what, BooleanSupplier condition, Duration period, Supplier<String> state) {
    long deadline = System.nanoTime() + period.toNanos();
    while (System.nanoTime() < deadline) {
      if (!condition.getAsBoolean()) {
        fail("stopped holding: " + what + "; state: " + state.get());
      }
      sleep(Duration.ofMillis(50));
    }
  }

  public static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
