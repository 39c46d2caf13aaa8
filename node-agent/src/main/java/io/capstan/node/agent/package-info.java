/**
 * capstan's node agent (its kubelet): {@link io.capstan.node.agent.NodeAgent} configured by one
 * {@link io.capstan.node.agent.AgentConfig}, speaking to the engine only through
 * {@code io.capstan.node.cri}. Subpackages: {@code node} (Node registration, status, Lease),
 * {@code pod} (pod workers and lifecycle), {@code status} (pod status) and {@code env}
 * (environment resolution).
 */
package io.capstan.node.agent;
