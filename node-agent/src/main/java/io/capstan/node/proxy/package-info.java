/**
 * capstan's service proxy (kube-proxy's job) with nftables: {@link io.capstan.node.proxy.ServiceProxy},
 * configured by one {@link io.capstan.node.proxy.ProxyConfig}, watches Services and
 * EndpointSlices and keeps {@code table ip capstan} of one network namespace equal to the rules
 * they call for (ClusterIP and NodePort DNAT to ready endpoints, ClientIP affinity, refusal of
 * ports without endpoints, masquerading). The table is capstan's alone and is rewritten with one
 * {@code nft -f} transaction per sync; see docs/adr (nftables service proxy) and
 * docs/service-proxy.md.
 */
package io.capstan.node.proxy;
