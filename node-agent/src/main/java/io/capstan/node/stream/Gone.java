package io.capstan.node.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The one-shot "client is gone" signal of a session, with its callbacks. */
final class Gone {
    private final CountDownLatch latch = new CountDownLatch(1);
    private final List<Runnable> callbacks = new ArrayList<>();

    /** Registers a callback; runs it at once when the client is already gone. */
    void onGone(Runnable r) {
        synchronized (this) {
            if (latch.getCount() > 0) {
                callbacks.add(r);
                return;
            }
        }
        run(r);
    }

    /** Signals it (once) and runs the callbacks on the calling thread. */
    void signal() {
        List<Runnable> rs;
        synchronized (this) {
            if (latch.getCount() == 0) {
                return;
            }
            latch.countDown();
            rs = new ArrayList<>(callbacks);
            callbacks.clear();
        }
        rs.forEach(Gone::run);
    }

    boolean isGone() {
        return latch.getCount() == 0;
    }

    /** Waits at most {@code d} for the signal; returns whether it came. */
    boolean await(Duration d) {
        try {
            return latch.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return isGone();
        }
    }

    private static void run(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ignored) {
            // cleanup callbacks are best effort
        }
    }
}
