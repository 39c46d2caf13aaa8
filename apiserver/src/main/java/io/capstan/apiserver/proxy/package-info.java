/**
 * The pod subresources served by the node agents: {@code pods/log}, {@code pods/exec},
 * {@code pods/attach} and {@code pods/portforward}. The API server validates the request as
 * kube-apiserver does (pod, node, container), finds the agent's port in the Node's
 * status.daemonEndpoints and its secret in the node secrets directory, then streams: logs through
 * an HTTP client with back-pressure, the upgrade-based protocols as an "upgrade-aware" byte proxy
 * (the agent terminates WebSocket and SPDY; this side only copies bytes).
 */
package io.capstan.apiserver.proxy;
