/**
 * Cluster DNS served on each node, and the DNS side of a pod's configuration.
 *
 * <p>{@link io.capstan.node.dns.ClusterDns} is a small authoritative DNS server (UDP and TCP, RFC
 * 1035 wire format through the package's own codec {@link io.capstan.node.dns.DnsMessage}) for the
 * cluster domain, fed by informers on Services and EndpointSlices, that forwards every other name to
 * the node's upstream resolvers. {@link io.capstan.node.dns.PodDns} computes the resolv.conf a pod
 * gets and {@link io.capstan.node.dns.ServiceEnv} the service environment variables, as kubelet does.
 * See docs/dns.md.
 */
package io.capstan.node.dns;
