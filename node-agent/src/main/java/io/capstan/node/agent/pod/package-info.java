/**
 * The pod side of the agent: pod workers that sync each pod bound to this node with the container
 * runtime (sandbox, init containers, app containers, restarts with back-off, image checks,
 * environment, deletion with preStop hooks and grace periods, orphan cleanup).
 */
package io.capstan.node.agent.pod;
