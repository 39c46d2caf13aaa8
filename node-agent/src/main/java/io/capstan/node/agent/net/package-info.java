/**
 * The node agent's pod networking: the seam the pod workers call around a sandbox
 * ({@link io.capstan.node.agent.net.PodNetworking}) and its implementation on this node
 * ({@link io.capstan.node.agent.net.NodeNetworking}), which composes the CNI pod network
 * ({@code io.capstan.node.network}), the cluster DNS server and pods' resolv.conf and service
 * environment variables ({@code io.capstan.node.dns}).
 */
package io.capstan.node.agent.net;
