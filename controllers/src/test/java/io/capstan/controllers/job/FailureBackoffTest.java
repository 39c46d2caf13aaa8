package io.capstan.controllers.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.testing.MutableClock;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureBackoffTest {
  private final MutableClock clock = new MutableClock();
  private final FailureBackoff backoff = new FailureBackoff(clock, Duration.ofSeconds(10), Duration.ofSeconds(60));
  private final Request job = new Request("ns", "job");

  static Pod finished(String phase, String at) {
    return new PodBuilder().withNewMetadata().withName(phase + at).endMetadata().withNewStatus().withPhase(phase)
        .addNewContainerStatus().withName("c").withNewState().withNewTerminated().withFinishedAt(at).endTerminated()
        .endState().endContainerStatus().endStatus().build();
  }

  @Test
  void consecutiveFailuresDoubleTheDelayUpToTheCap() {
    String t0 = clock.instant().toString();
    FailureBackoff.Record one = backoff.next(job, List.of(), List.of(finished("Failed", t0)));
    assertEquals(Duration.ofSeconds(10), backoff.remaining(one));
    backoff.store(job, one);
    FailureBackoff.Record two = backoff.next(job, List.of(), List.of(finished("Failed", t0)));
    assertEquals(Duration.ofSeconds(20), backoff.remaining(two));
    backoff.store(job, two);
    clock.advance(Duration.ofSeconds(5));
    assertEquals(Duration.ofSeconds(15), backoff.remaining(two), "counted from the last failure");
    FailureBackoff.Record many = new FailureBackoff.Record(9, clock.instant());
    assertEquals(Duration.ofSeconds(60), backoff.remaining(many));
  }

  @Test
  void aLaterSuccessResetsTheCount() {
    String t0 = clock.instant().toString();
    backoff.store(job, backoff.next(job, List.of(), List.of(finished("Failed", t0))));
    clock.advance(Duration.ofSeconds(1));
    FailureBackoff.Record after = backoff.next(job, List.of(finished("Succeeded", clock.instant().toString())),
        List.of());
    assertEquals(0, after.failures());
    assertEquals(Duration.ZERO, backoff.remaining(after));
  }
}
