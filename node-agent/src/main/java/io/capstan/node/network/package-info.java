/**
 * The node's pod network: each pod gets its own network namespace, pinned under
 * {@code <data-dir>/run/netns/<pod-uid>}, which the standard CNI plugins (bridge with host-local
 * IPAM over the node's podCIDR, portmap, loopback) configure before the pod's sandbox joins it.
 *
 * <p>{@link io.capstan.node.network.PodNetwork} is the entry point the agent calls around a pod
 * sandbox: {@code start()} once, {@code setUp} before the sandbox (its {@code netnsPath} goes into
 * {@code SandboxSpec.netnsPath}, its IPs into {@code status.podIPs}), {@code tearDown} after the
 * sandbox is gone, {@code gc} after a restart and {@code cleanup} when the node leaves.
 * {@link io.capstan.node.network.CniRunner} is a plain CNI 1.0 runtime (ADD, DEL, CHECK, VERSION)
 * usable on its own. {@link io.capstan.node.network.SafetyRoutes} keeps packets for unassigned
 * cluster addresses on the machine. Everything can run against another network namespace playing
 * the node's host namespace ({@link io.capstan.node.network.NetworkConfig#hostNetns()}), which is
 * how the tests keep the real host untouched.
 */
package io.capstan.node.network;
