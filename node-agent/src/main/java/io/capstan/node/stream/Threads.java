package io.capstan.node.stream;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/** Named daemon threads for streaming sessions. */
final class Threads {
    private static final AtomicLong SEQ = new AtomicLong();

    private Threads() {}

    /** Starts a daemon thread named {@code name-N}. */
    static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name + "-" + SEQ.incrementAndGet());
        t.setDaemon(true);
        t.start();
        return t;
    }

    static ThreadFactory factory(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
