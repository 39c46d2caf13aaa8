/**
 * Pod status as kubelet reports it: container statuses from the runtime, the phase, the pod
 * conditions, and the writes through {@code /status} (only on change).
 */
package io.capstan.node.agent.status;
