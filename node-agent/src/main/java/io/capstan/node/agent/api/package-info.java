/**
 * The node agent's HTTP API (capstan's kubelet API): a small blocking HTTP/1.1 server on loopback
 * that the API server proxies {@code pods/log}, {@code pods/exec}, {@code pods/attach} and
 * {@code pods/portforward} to. Every request must carry the node's shared secret; the paths are the
 * kubelet's ({@code /containerLogs}, {@code /exec}, {@code /attach}, {@code /portForward},
 * {@code /healthz}), resolved against the pods this agent runs.
 */
package io.capstan.node.agent.api;
