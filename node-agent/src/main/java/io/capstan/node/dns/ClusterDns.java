package io.capstan.node.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The node's cluster DNS server: a {@link ServiceDirectory} over Service and EndpointSlice
 * informers, and UDP/TCP sockets answering from it (see docs/dns.md for the names served).
 * {@link #start(DnsConfig, KubernetesClient)} creates and owns its informers;
 * {@link #start(DnsConfig, SharedIndexInformer, SharedIndexInformer)} uses informers the caller
 * shares with other components and starts and stops. {@link #close()} releases the sockets and
 * threads (and the owned informers).
 */
public final class ClusterDns implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClusterDns.class);
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

    private final ServiceDirectory directory;
    private final DnsServer server;
    private final List<SharedIndexInformer<?>> owned;

    private ClusterDns(ServiceDirectory directory, DnsServer server, List<SharedIndexInformer<?>> owned) {
        this.directory = directory;
        this.server = server;
        this.owned = owned;
    }

    /** Starts informers of its own through {@code client}, waits for them to sync, then serves. */
    public static ClusterDns start(DnsConfig config, KubernetesClient client) throws IOException, InterruptedException {
        SharedIndexInformer<Service> services = client.services().inAnyNamespace().runnableInformer(0);
        SharedIndexInformer<EndpointSlice> slices =
                client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
        List<SharedIndexInformer<?>> owned = List.of(services, slices);
        try {
            for (SharedIndexInformer<?> i : owned) {
                i.start().toCompletableFuture().get(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            return start(config, services, slices, owned);
        } catch (ExecutionException | TimeoutException e) {
            owned.forEach(SharedIndexInformer::stop);
            throw new IOException("the Service and EndpointSlice informers did not sync", e);
        } catch (IOException | InterruptedException | RuntimeException e) {
            owned.forEach(SharedIndexInformer::stop);
            throw e;
        }
    }

    /** Serves from informers the caller owns (started or not; answers fill in as they sync). */
    public static ClusterDns start(DnsConfig config, SharedIndexInformer<Service> services,
            SharedIndexInformer<EndpointSlice> slices) throws IOException {
        return start(config, services, slices, List.of());
    }

    private static ClusterDns start(DnsConfig config, SharedIndexInformer<Service> services,
            SharedIndexInformer<EndpointSlice> slices, List<SharedIndexInformer<?>> owned) throws IOException {
        byte[] nameserver = config.listen().get(0).getAddress();
        ServiceDirectory directory = new ServiceDirectory(services, slices, config.clusterDomain(), config.ttl(),
                nameserver);
        DnsServer server = null;
        try {
            // Never forward to ourselves: an upstream equal to a listening socket would loop.
            Forwarder forwarder = new Forwarder(config.upstreams().stream()
                    .filter(u -> !(u.getPort() == config.port() && config.listen().contains(u.getAddress())))
                    .toList(), config.forwardTimeout());
            server = new DnsServer(new DnsHandler(directory::zone, forwarder));
            server.start(config.listen(), config.port());
        } catch (IOException | RuntimeException e) {
            directory.close();
            if (server != null) {
                server.close();
            }
            throw e;
        }
        ClusterDns dns = new ClusterDns(directory, server, owned);
        LOG.infof("cluster DNS serving zone=%s on %s upstreams=%s", config.clusterDomain(), dns.addresses(),
                config.upstreams());
        return dns;
    }

    /** The UDP (and TCP) addresses served, with the actual port. */
    public List<InetSocketAddress> addresses() {
        return server.addresses();
    }

    /** The Services and zone behind the answers; also the source of pods' service environment variables. */
    public ServiceDirectory directory() {
        return directory;
    }

    @Override
    public void close() {
        server.close();
        directory.close();
        owned.forEach(SharedIndexInformer::stop);
    }
}
