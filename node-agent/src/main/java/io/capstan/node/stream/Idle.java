package io.capstan.node.stream;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes sessions that saw no traffic for the idle timeout. One daemon thread ({@code stream-idle})
 * checks every registered session now and then; sessions {@link Watch#touch touch} their watch on
 * each frame.
 */
final class Idle {
    private final long timeoutNanos;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    Idle(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(Threads.factory("stream-idle"));
        long period = Math.max(10, Math.min(timeout.toMillis() / 4, 10_000));
        timer.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    /** Starts watching a session; {@code onIdle} closes it. */
    Watch watch(Runnable onIdle) {
        Watch w = new Watch(onIdle);
        watches.add(w);
        return w;
    }

    private void check() {
        long now = System.nanoTime();
        for (Watch w : watches) {
            if (now - w.last > timeoutNanos) {
                w.cancel();
                try {
                    w.onIdle.run();
                } catch (RuntimeException ignored) {
                    // closing is best effort
                }
            }
        }
    }

    /** The activity of one session. */
    final class Watch {
        private final Runnable onIdle;
        private volatile long last = System.nanoTime();

        private Watch(Runnable onIdle) {
            this.onIdle = onIdle;
        }

        /** Records traffic. */
        void touch() {
            last = System.nanoTime();
        }

        /** Stops watching (the session ended). */
        void cancel() {
            watches.remove(this);
        }
    }

    /** A watch that never fires, for tests and tools. */
    static Watch none() {
        return NONE.watch(() -> { });
    }

    private static final Idle NONE = new Idle(Duration.ofDays(3650));
}
