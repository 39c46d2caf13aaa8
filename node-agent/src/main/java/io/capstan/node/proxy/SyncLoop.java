package io.capstan.node.proxy;

import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The proxy's one sync thread: coalesces sync requests, writes the desired ruleset with one nft
 * transaction at a time (then the ClusterIP routes), skips unchanged rulesets, rewrites everything
 * periodically, and retries failures with a full rewrite.
 */
final class SyncLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SyncLoop.class);

    private final ProxyConfig config;
    private final Supplier<Desired> desired;
    private final Nft nft;
    private final ServiceRoutes routes;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean pending = new AtomicBoolean();
    /** What the last successful run wrote; null before the first and after a failure. Sync thread only. */
    private Ruleset applied;
    private volatile long lastRunEnd = System.nanoTime();
    private volatile boolean closed;
    private String lastRouteError;

    /** What one run writes: the table's content and the ClusterIPs to route. */
    record Desired(Ruleset rules, Set<String> clusterIps) {}

    SyncLoop(ProxyConfig config, Supplier<Desired> desired, Nft nft, ServiceRoutes routes) {
        this.config = config;
        this.desired = desired;
        this.nft = nft;
        this.routes = routes;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "capstan-proxy-sync");
            t.setDaemon(true);
            return t;
        });
    }

    /** Writes the rules once (throwing nft's error if that fails), then resyncs periodically. */
    void start() throws InterruptedException {
        try {
            syncNow();
        } finally {
            long every = config.resyncInterval().toMillis();
            executor.scheduleWithFixedDelay(() -> sync(true), every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Asks for a sync; requests arriving before it runs are served by the same run. */
    void requestSync() {
        if (closed || !pending.compareAndSet(false, true)) {
            return;
        }
        long sinceLast = System.nanoTime() - lastRunEnd;
        long delay = Math.max(config.syncDelay().toNanos(), config.minSyncInterval().toNanos() - sinceLast);
        try {
            executor.schedule(() -> {
                pending.set(false);
                sync(false);
            }, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            pending.set(false); // closing
        }
    }

    /** Rewrites the table now, on the sync thread, and waits; throws nft's error. */
    void syncNow() throws InterruptedException {
        try {
            executor.submit(() -> {
                if (!sync(true)) {
                    throw new NftException("sync failed; see the log", null);
                }
                return null;
            }).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** One run; true when the table holds the desired ruleset afterwards (routes may still be pending). */
    private boolean sync(boolean force) {
        if (closed) {
            return false;
        }
        long start = System.nanoTime();
        try {
            Desired d = desired.get();
            Ruleset want = d.rules();
            if (force || !want.equals(applied)) {
                nft.apply(want.transaction(applied));
                applied = want;
            }
            try {
                routes.sync(d.clusterIps());
                lastRouteError = null;
            } catch (NftException e) {
                // The rules stand; only the routes are retried (the device may not exist yet).
                if (!e.getMessage().equals(lastRouteError)) {
                    LOG.warnf("the ClusterIP routes failed; retrying every %d ms: %s",
                            config.retryInterval().toMillis(), e.getMessage());
                }
                lastRouteError = e.getMessage();
                retry(false);
            }
            LOG.debugf("rules written chains=%d sets=%d in %d ms", want.chains().size(), want.sets().size(),
                    (System.nanoTime() - start) / 1_000_000);
            return true;
        } catch (RuntimeException e) {
            boolean full = applied == null;
            applied = null;
            LOG.errorf("writing the service rules failed (full rewrite: %s); retrying in %d ms: %s", full,
                    config.retryInterval().toMillis(), e.getMessage());
            retry(true);
            return false;
        } finally {
            lastRunEnd = System.nanoTime();
        }
    }

    private void retry(boolean force) {
        if (!closed) {
            try {
                executor.schedule(() -> sync(force), config.retryInterval().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** Stops the thread, waiting for a run in progress to end. */
    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("the proxy sync thread did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
