/**
 * Node lifecycle, as upstream's node lifecycle and taint eviction controllers: a node whose Lease
 * (in {@code kube-node-lease}) and status heartbeat stop for the node-monitor grace period is marked
 * Unknown and tainted unreachable, its pods marked not Ready; pods that do not tolerate a node's
 * NoExecute taints are deleted, at once or after their {@code tolerationSeconds}.
 */
package io.capstan.controllers.nodelifecycle;
