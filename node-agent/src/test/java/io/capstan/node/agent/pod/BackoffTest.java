package io.capstan.node.agent.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffTest {
    final MutableClock clock = new MutableClock();
    final Backoff backoff = new Backoff(clock, Backoff.INITIAL, Backoff.MAX);

    @Test
    void firstFailureIsNotInBackoffThenTenSecondsDoublingToFiveMinutes() {
        Instant t = clock.instant();
        assertFalse(backoff.inBackoffSince("c", t));
        String[] expected = {"10s", "20s", "40s", "1m20s", "2m40s", "5m0s", "5m0s"};
        for (String e : expected) {
            backoff.next("c", clock.instant());
            assertEquals(e, Backoff.goDuration(backoff.delay("c")));
            Instant failed = clock.instant();
            assertTrue(backoff.inBackoffSince("c", failed));
            assertEquals(backoff.delay("c"), backoff.remaining("c", failed));
            clock.advance(backoff.delay("c").minusSeconds(1));
            assertTrue(backoff.inBackoffSince("c", failed));
            clock.advance(Duration.ofSeconds(1));
            assertFalse(backoff.inBackoffSince("c", failed));
        }
    }

    @Test
    void keysAreIndependentAndResetAfterTwiceTheMaximum() {
        backoff.next("a", clock.instant());
        backoff.next("a", clock.instant());
        assertEquals(Duration.ofSeconds(20), backoff.delay("a"));
        assertEquals(Duration.ZERO, backoff.delay("b"));
        clock.advance(Duration.ofMinutes(11));
        backoff.next("a", clock.instant());
        assertEquals(Duration.ofSeconds(10), backoff.delay("a"));
        backoff.forgetPrefix("a");
        assertEquals(Duration.ZERO, backoff.delay("a"));
    }

    @Test
    void goDurations() {
        assertEquals("0s", Backoff.goDuration(Duration.ZERO));
        assertEquals("1h0m0s", Backoff.goDuration(Duration.ofHours(1)));
    }
}
