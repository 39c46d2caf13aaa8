/**
 * Service address allocation, as kube-apiserver's ipallocator and portallocator: ClusterIPs from
 * the service CIDR and NodePorts from the node port range, reserved before a Service is written
 * and released when it is deleted or stops needing them; the {@code kubernetes} Service created
 * at start. See docs/services.md and docs/adr/0010-service-allocation-in-memory.md.
 */
package io.capstan.apiserver.registry.alloc;
