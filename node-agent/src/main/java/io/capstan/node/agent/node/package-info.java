/**
 * The node side of the agent: registering the Node with the machine's capacity, nodeInfo,
 * addresses, conditions and images, and renewing its Lease in {@code kube-node-lease}.
 */
package io.capstan.node.agent.node;
