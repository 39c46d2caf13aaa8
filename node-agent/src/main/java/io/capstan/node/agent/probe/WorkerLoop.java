package io.capstan.node.agent.probe;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs one {@link ProbeWorker}'s ticks: the first after a given delay, then one per period counted
 * from the start of the previous tick (a tick longer than the period is followed at once), never
 * two at a time. A timer thread keeps the schedule; the ticks run on a shared pool, so a probe
 * that waits for its timeout (or a container being killed) holds no other worker. Ends when the
 * worker says so or on {@link #stop()}; {@link #trigger()} asks for a tick now (kubelet's manual run).
 */
final class WorkerLoop {
    private static final Logger LOG = Logger.getLogger(WorkerLoop.class);

    private final ProbeWorker worker;
    private final ScheduledExecutorService timer;
    private final Executor runners;
    private ScheduledFuture<?> next;
    private boolean running;
    private boolean triggered;
    private volatile boolean stopped;

    WorkerLoop(ProbeWorker worker, ScheduledExecutorService timer, Executor runners) {
        this.worker = worker;
        this.timer = timer;
        this.runners = runners;
    }

    ProbeWorker worker() {
        return worker;
    }

    /** Whether the loop has ended (the worker finished, or it was stopped). */
    boolean stopped() {
        return stopped;
    }

    synchronized void start(Duration firstDelay) {
        schedule(firstDelay);
    }

    /** Ends the loop; a tick under way finishes. */
    synchronized void stop() {
        stopped = true;
        if (next != null) {
            next.cancel(false);
        }
    }

    /** Runs a tick as soon as possible (after the current one, if one runs). */
    synchronized void trigger() {
        if (stopped) {
            return;
        }
        if (running) {
            triggered = true;
        } else if (next != null && next.cancel(false)) {
            schedule(Duration.ZERO);
        }
    }

    private void schedule(Duration delay) {
        if (stopped) {
            return;
        }
        try {
            next = timer.schedule(this::fire, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            stopped = true; // the manager is closing
        }
    }

    private void fire() {
        synchronized (this) {
            if (stopped || running) {
                return;
            }
            running = true;
        }
        try {
            runners.execute(this::run);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                running = false;
                stopped = true;
            }
        }
    }

    private void run() {
        long start = System.nanoTime();
        boolean keep;
        try {
            keep = worker.tick();
        } catch (RuntimeException e) {
            LOG.warnf(e, "%s failed", worker);
            keep = true;
        }
        synchronized (this) {
            running = false;
            if (!keep) {
                stopped = true;
                return;
            }
            Duration wait = triggered ? Duration.ZERO
                    : worker.period().minusNanos(System.nanoTime() - start);
            triggered = false;
            schedule(wait.isNegative() ? Duration.ZERO : wait);
        }
    }
}
