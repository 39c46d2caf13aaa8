package io.capstan.node.network;

import java.io.IOException;
import java.util.List;

/**
 * {@code unreachable} routes for the cluster pod CIDR and the service CIDR in the host namespace.
 * More specific routes (the node's podCIDR on the bridge, other nodes' podCIDRs) still win, so
 * only packets for addresses no pod holds are refused, with "No route to host", instead of
 * following the default route off the machine. Install and removal are idempotent.
 */
public final class SafetyRoutes {
    private final HostExec host;
    private final List<String> cidrs;

    /** Routes for {@code config}'s cluster and service CIDRs in its host namespace. */
    public SafetyRoutes(NetworkConfig config) {
        this.host = new HostExec(config.hostNetns());
        this.cidrs = List.of(config.clusterCidr(), config.serviceCidr());
    }

    /** Adds (or replaces) the routes. */
    public void install() throws IOException {
        for (String cidr : cidrs) {
            HostExec.Outcome o = host.run("ip", "route", "replace", "unreachable", cidr);
            if (!o.ok()) {
                throw new IOException("cannot add the route unreachable " + cidr + ": " + o.stderr().strip());
            }
        }
    }

    /** Whether every route is in place. */
    public boolean installed() throws IOException {
        for (String cidr : cidrs) {
            HostExec.Outcome o = host.run("ip", "route", "show", "type", "unreachable", "exact", cidr);
            if (!o.ok() || o.stdout().isBlank()) {
                return false;
            }
        }
        return true;
    }

    /** Removes the routes; routes already gone are fine. */
    public void remove() throws IOException {
        for (String cidr : cidrs) {
            HostExec.Outcome o = host.run("ip", "route", "del", "unreachable", cidr);
            if (!o.ok() && !o.stderr().contains("No such process")) {
                throw new IOException("cannot remove the route unreachable " + cidr + ": " + o.stderr().strip());
            }
        }
    }
}
