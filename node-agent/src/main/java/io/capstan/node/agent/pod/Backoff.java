package io.capstan.node.agent.pod;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-key exponential back-off as kubelet keeps it for container restarts and image pulls: the
 * first failure of a key starts at the initial delay, each further one doubles it up to the
 * maximum; an entry not updated for twice the maximum starts over. A key is "in back-off" while
 * less than its delay has passed since the failure. Thread-safe; time from the given clock.
 */
public final class Backoff {
    /** Kubelet's container restart back-off: 10 s doubling to 5 min. */
    public static final Duration INITIAL = Duration.ofSeconds(10);
    public static final Duration MAX = Duration.ofMinutes(5);

    private record Entry(Duration delay, Instant lastUpdate) {}

    private final Clock clock;
    private final Duration initial;
    private final Duration max;
    private final Map<String, Entry> entries = new HashMap<>();

    public Backoff(Clock clock, Duration initial, Duration max) {
        this.clock = clock;
        this.initial = initial;
        this.max = max;
    }

    /** Records a failure of {@code key} at {@code eventTime}: starts or doubles its delay. */
    public synchronized void next(String key, Instant eventTime) {
        Entry e = entries.get(key);
        Duration delay;
        if (e == null || expired(e, eventTime)) {
            delay = initial;
        } else {
            delay = e.delay().multipliedBy(2);
            if (delay.compareTo(max) > 0) {
                delay = max;
            }
        }
        entries.put(key, new Entry(delay, eventTime));
    }

    /** Whether less than {@code key}'s delay has passed since {@code eventTime}. */
    public synchronized boolean inBackoffSince(String key, Instant eventTime) {
        return !remaining(key, eventTime).isZero();
    }

    /** Whether less than {@code key}'s delay has passed since its last failure. */
    public synchronized boolean inBackoffSinceUpdate(String key) {
        Entry e = entries.get(key);
        return e != null && inBackoffSince(key, e.lastUpdate());
    }

    /** How long until {@code key}'s back-off since {@code eventTime} ends; zero when it has. */
    public synchronized Duration remaining(String key, Instant eventTime) {
        Entry e = entries.get(key);
        Instant now = clock.instant();
        if (e == null || expired(e, eventTime)) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, eventTime.plus(e.delay()));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** How long until {@code key}'s back-off since its last failure ends. */
    public synchronized Duration remainingSinceUpdate(String key) {
        Entry e = entries.get(key);
        return e == null ? Duration.ZERO : remaining(key, e.lastUpdate());
    }

    /** The current delay of {@code key}, or zero. */
    public synchronized Duration delay(String key) {
        Entry e = entries.get(key);
        return e == null ? Duration.ZERO : e.delay();
    }

    public synchronized void reset(String key) {
        entries.remove(key);
    }

    /** Forgets every key starting with {@code prefix} (a pod that is gone). */
    public synchronized void forgetPrefix(String prefix) {
        entries.keySet().removeIf(k -> k.startsWith(prefix));
    }

    private boolean expired(Entry e, Instant t) {
        return Duration.between(e.lastUpdate(), t).compareTo(max.multipliedBy(2)) > 0;
    }

    /** A duration as Go prints it: {@code 10s}, {@code 1m20s}, {@code 5m0s}. */
    public static String goDuration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return (h > 0 ? h + "h" + m + "m" : m + "m") + sec + "s";
    }
}
