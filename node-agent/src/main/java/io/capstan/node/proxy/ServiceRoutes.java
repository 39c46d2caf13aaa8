package io.capstan.node.proxy;

import java.util.Set;
import java.util.TreeSet;

/**
 * One {@code /32} route per ClusterIP over {@link ProxyConfig#serviceRouteDevice()}, tagged with
 * routing protocol {@link #PROTO}. The node's own connections need a route to a ClusterIP before
 * the output hook can DNAT them, and the node agent keeps an {@code unreachable} route over the
 * whole service CIDR; these more specific routes open exactly the addresses of existing Services.
 * (A packet that is not DNATed is refused by the table's post-DNAT check, so nothing addressed to
 * a ClusterIP leaves the node.) Only routes carrying {@link #PROTO} are ever changed or removed.
 */
final class ServiceRoutes {
    /** The {@code proto} of capstan's service routes (an unassigned number, above the kernel's own). */
    static final int PROTO = 201;

    private final ProxyConfig config;
    private final NetnsExec exec;
    /** The routes in place; null when unknown (first run, after a failure). */
    private Set<String> current;

    ServiceRoutes(ProxyConfig config) {
        this.config = config;
        this.exec = new NetnsExec(config);
    }

    /** Makes capstan's service routes exactly one per address of {@code ips}. */
    void sync(Set<String> ips) {
        if (config.serviceRouteDevice() == null) {
            return;
        }
        Set<String> have = current != null ? current : list();
        if (have.equals(ips)) {
            current = have;
            return;
        }
        StringBuilder batch = new StringBuilder();
        for (String ip : have) {
            if (!ips.contains(ip)) {
                batch.append("route del ").append(ip).append("/32 proto ").append(PROTO).append('\n');
            }
        }
        for (String ip : ips) {
            if (!have.contains(ip)) {
                batch.append("route replace ").append(ip).append("/32 dev ").append(config.serviceRouteDevice())
                        .append(" proto ").append(PROTO).append('\n');
            }
        }
        current = null;
        exec.run(batch.toString(), config.ip().toString(), "-force", "-batch", "-");
        current = new TreeSet<>(ips);
    }

    /** Removes every route tagged {@link #PROTO}. */
    void removeAll() {
        current = null;
        Set<String> have = list();
        if (!have.isEmpty()) {
            StringBuilder batch = new StringBuilder();
            have.forEach(ip -> batch.append("route del ").append(ip).append("/32 proto ").append(PROTO).append('\n'));
            exec.run(batch.toString(), config.ip().toString(), "-force", "-batch", "-");
        }
    }

    private Set<String> list() {
        Set<String> ips = new TreeSet<>();
        String out = exec.run(null, config.ip().toString(), "-4", "route", "show", "proto", Integer.toString(PROTO));
        for (String line : out.split("\n")) {
            String first = line.strip().split("\\s+")[0];
            if (Cidr.isIpv4(first)) {
                ips.add(first);
            }
        }
        return ips;
    }
}
