package io.capstan.controllers.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.testing.MutableClock;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExpectationsTest {
  private final MutableClock clock = new MutableClock();
  private final Expectations expectations = new Expectations(clock);
  private final Map<String, Pod> cache = new HashMap<>();
  private final Request rs = new Request("ns", "web");

  private static Pod pod(String name, String uid) {
    return new PodBuilder().withNewMetadata().withName(name).withUid(uid).endMetadata().build();
  }

  @Test
  void aCreationIsPendingUntilTheCacheShowsThePod() {
    assertTrue(expectations.satisfied(rs, cache::get));
    expectations.expectCreation(rs, "web-1");
    assertFalse(expectations.satisfied(rs, cache::get));
    assertTrue(expectations.satisfied(new Request("ns", "other"), cache::get), "per owner");
    cache.put("web-1", pod("web-1", "u1"));
    assertTrue(expectations.satisfied(rs, cache::get));
  }

  @Test
  void aDeletionIsPendingUntilThePodIsGoneReplacedOrTerminating() {
    Pod p = pod("web-1", "u1");
    cache.put("web-1", p);
    expectations.expectDeletion(rs, p);
    assertFalse(expectations.satisfied(rs, cache::get));
    cache.put("web-1", new PodBuilder(p).editMetadata().withDeletionTimestamp("2024-01-01T00:00:00Z").endMetadata().build());
    assertTrue(expectations.satisfied(rs, cache::get));

    expectations.expectDeletion(rs, p);
    cache.put("web-1", pod("web-1", "u2"));
    assertTrue(expectations.satisfied(rs, cache::get), "same name, another pod");
  }

  @Test
  void aFailedWriteIsCancelledAndAnUnconfirmedOneExpires() {
    expectations.expectCreation(rs, "web-1");
    expectations.expectCreation(rs, "web-2");
    expectations.cancel(rs, "web-1");
    assertFalse(expectations.satisfied(rs, cache::get));
    assertEquals(Optional.of(Expectations.TTL), expectations.untilFirstExpiry(rs));
    clock.advance(Expectations.TTL);
    assertTrue(expectations.satisfied(rs, cache::get));
    expectations.expectCreation(rs, "web-3");
    expectations.forget(rs);
    assertTrue(expectations.satisfied(rs, cache::get));
  }
}
