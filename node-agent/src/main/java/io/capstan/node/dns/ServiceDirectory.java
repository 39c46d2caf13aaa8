package io.capstan.node.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The cluster's Services and EndpointSlices as seen through two informers, and the DNS zone built
 * from them. Every informer event schedules a rebuild of the whole zone on one thread; events that
 * arrive while a rebuild is pending are folded into it, so a change is served within milliseconds
 * and a burst of changes costs one rebuild. The informers may be shared with other node components
 * (the service proxy); this class only adds handlers to them and never starts or stops them.
 */
public final class ServiceDirectory implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ServiceDirectory.class);
    /** The label an EndpointSlice names its Service with. */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final String domain;
    private final long ttl;
    private final byte[] nameserver;
    private final ExecutorService rebuilder = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "capstan-dns-zone");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile ZoneSnapshot zone;

    /**
     * A directory over {@code services} and {@code slices} serving zone {@code domain} with records of
     * {@code ttl} seconds; {@code nameserver} is the address {@code ns.dns.<domain>} resolves to (or null).
     */
    public ServiceDirectory(SharedIndexInformer<Service> services, SharedIndexInformer<EndpointSlice> slices,
            String domain, long ttl, byte[] nameserver) {
        this.services = services;
        this.slices = slices;
        this.domain = DnsRecord.canonical(domain);
        this.ttl = ttl;
        this.nameserver = nameserver;
        this.zone = ZoneSnapshot.empty(this.domain, ttl);
        services.addEventHandler(handler());
        slices.addEventHandler(handler());
        rebuild();
    }

    /** The zone as of the last rebuild. */
    ZoneSnapshot zone() {
        return zone;
    }

    /** The Services of {@code namespace} in the informer's cache (for the service environment variables). */
    public List<Service> services(String namespace) {
        return services.getStore().list().stream()
                .filter(s -> Objects.equals(namespace, s.getMetadata().getNamespace())).toList();
    }

    /** Every Service in the informer's cache. */
    public List<Service> allServices() {
        return services.getStore().list();
    }

    private <T> ResourceEventHandler<T> handler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                schedule();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                schedule();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                schedule();
            }
        };
    }

    private void schedule() {
        if (pending.compareAndSet(false, true)) {
            try {
                rebuilder.execute(() -> {
                    pending.set(false);
                    rebuild();
                });
            } catch (RejectedExecutionException closed) {
                pending.set(false);
            }
        }
    }

    private void rebuild() {
        try {
            Map<String, List<EndpointSlice>> byService = new HashMap<>();
            for (EndpointSlice s : slices.getStore().list()) {
                var labels = s.getMetadata().getLabels();
                String svc = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
                if (svc != null) {
                    byService.computeIfAbsent(s.getMetadata().getNamespace() + "/" + svc, k -> new ArrayList<>()).add(s);
                }
            }
            ZoneBuilder b = new ZoneBuilder(domain, ttl, nameserver);
            for (Service svc : services.getStore().list()) {
                b.add(svc, byService.getOrDefault(svc.getMetadata().getNamespace() + "/" + svc.getMetadata().getName(),
                        List.of()));
            }
            zone = b.build();
        } catch (RuntimeException e) {
            LOG.errorf(e, "rebuilding the cluster DNS zone failed; serving the previous one");
        }
    }

    @Override
    public void close() {
        rebuilder.shutdownNow();
    }
}
