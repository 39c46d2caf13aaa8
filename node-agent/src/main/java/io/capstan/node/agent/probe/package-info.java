/**
 * Container probes as kubelet runs them: one {@link io.capstan.node.agent.probe.ProbeWorker} per
 * pod, container and probe kind (liveness, readiness, startup), scheduled by the
 * {@link io.capstan.node.agent.probe.ProbeManager}, with the exec, httpGet and tcpSocket handlers.
 * Readiness and startup results feed the pod status ({@code ready}, {@code started}, the Ready
 * condition); a liveness or startup failure kills the container, which the pod sync then restarts
 * per its restart policy.
 */
package io.capstan.node.agent.probe;
