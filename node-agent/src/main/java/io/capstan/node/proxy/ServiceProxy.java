package io.capstan.node.proxy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * capstan's kube-proxy: programs {@code table ip capstan} in one network namespace from the
 * Services and EndpointSlices of the cluster, so that traffic to a ClusterIP:port or to a NodePort
 * on a local address is spread over the service port's ready endpoints (see
 * {@link RulesetRenderer} for the rules and docs/service-proxy.md for the traffic flow).
 *
 * <p>Every informer event marks the rules dirty; one sync thread rewrites the whole table in one
 * {@code nft -f} transaction after {@link ProxyConfig#syncDelay()} (more events in that window
 * join the same run), never runs two nft processes at once, and leaves
 * {@link ProxyConfig#minSyncInterval()} between runs. An unchanged ruleset is not written again
 * except every {@link ProxyConfig#resyncInterval()}; a failed run is logged and retried with a
 * full rewrite after {@link ProxyConfig#retryInterval()}.
 *
 * <p>{@link #close()} stops syncing and deletes the table. Nothing outside the table is touched.
 */
public final class ServiceProxy implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ServiceProxy.class);

    private final ProxyConfig config;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final boolean ownsInformers;
    private final Nft nft;
    private final SyncLoop loop;

    /** A proxy with its own informers on every Service and EndpointSlice of {@code client}'s cluster. */
    public ServiceProxy(KubernetesClient client, ProxyConfig config) {
        this(client.services().inAnyNamespace().runnableInformer(0),
                client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0), true, config);
    }

    /**
     * A proxy reading informers someone else owns and starts (a shared informer of a
     * {@code ControllerManager}, say); {@link #start()} then only waits for them to sync.
     */
    public ServiceProxy(SharedIndexInformer<Service> services, SharedIndexInformer<EndpointSlice> slices,
            ProxyConfig config) {
        this(services, slices, false, config);
    }

    private ServiceProxy(SharedIndexInformer<Service> services, SharedIndexInformer<EndpointSlice> slices,
            boolean ownsInformers, ProxyConfig config) {
        this.config = config;
        this.services = services;
        this.slices = slices;
        this.ownsInformers = ownsInformers;
        this.nft = new Nft(config);
        this.loop = new SyncLoop(config, this::desired, nft, new ServiceRoutes(config));
    }

    /**
     * Starts the informers (if this proxy owns them), waits up to two minutes for their caches, then
     * writes the rules once and keeps them in step. Throws if the caches do not sync or the first
     * write fails (the proxy keeps retrying in the background until closed).
     */
    public ServiceProxy start() throws InterruptedException, TimeoutException {
        ResourceEventHandler<HasMetadata> dirty = new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata obj) {
                loop.requestSync();
            }

            @Override
            public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
                loop.requestSync();
            }

            @Override
            public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
                loop.requestSync();
            }
        };
        services.addEventHandler(eraseType(dirty));
        slices.addEventHandler(eraseType(dirty));
        try {
            if (ownsInformers) {
                services.start().toCompletableFuture().get(2, TimeUnit.MINUTES);
                slices.start().toCompletableFuture().get(2, TimeUnit.MINUTES);
            } else {
                awaitSynced(services);
                awaitSynced(slices);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("an informer failed to sync", e.getCause());
        }
        loop.start();
        LOG.infof("service proxy started netns=%s service-cidr=%s", config.netns() == null ? "own" : config.netns(),
                config.serviceCidr());
        return this;
    }

    /** Forces a full rewrite of the table now and waits for it; throws what nft reported. */
    public void syncNow() throws InterruptedException {
        loop.syncNow();
    }

    /** {@code nft list table ip capstan} in the programmed namespace ("" when there is none). */
    public String listTable() {
        return nft.listTable();
    }

    /** Stops syncing and the owned informers, then deletes the ClusterIP routes and {@code table ip capstan}. */
    @Override
    public void close() {
        loop.close();
        if (ownsInformers) {
            services.stop();
            slices.stop();
        }
        cleanup(config);
    }

    /**
     * Deletes the ClusterIP routes (those tagged with capstan's route protocol) and
     * {@code table ip capstan} in {@code config}'s namespace (kube-proxy's {@code --cleanup}); a
     * no-op when there are none. Logs and returns false when a tool fails.
     */
    public static boolean cleanup(ProxyConfig config) {
        boolean ok = true;
        try {
            new ServiceRoutes(config).removeAll();
        } catch (NftException e) {
            LOG.warnf("cannot delete the service routes: %s", e.getMessage());
            ok = false;
        }
        try {
            new Nft(config).deleteTable();
        } catch (NftException e) {
            LOG.warnf("cannot delete table ip %s: %s", ProxyConfig.TABLE, e.getMessage());
            ok = false;
        }
        return ok;
    }

    private SyncLoop.Desired desired() {
        List<ServicePortRule> ports = ServicePorts.build(services.getStore().list(), slices.getStore().list(), config);
        Set<String> clusterIps = new TreeSet<>();
        ports.forEach(p -> clusterIps.addAll(p.clusterIps()));
        return new SyncLoop.Desired(RulesetRenderer.render(ports, config), clusterIps);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T extends HasMetadata> ResourceEventHandler<T> eraseType(ResourceEventHandler<HasMetadata> h) {
        return (ResourceEventHandler) h;
    }

    private static void awaitSynced(SharedIndexInformer<?> informer) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!informer.hasSynced()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("informer did not sync");
            }
            Thread.sleep(20);
        }
    }
}
