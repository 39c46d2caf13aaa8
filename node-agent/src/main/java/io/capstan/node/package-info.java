/**
 * The kubelet-like node agent: pod workers, the container runtime and its static C shim, cgroups,
 * graph drivers, images, volumes and pod networking. Empty until the node agent milestone (issue
 * 5); see docs/architecture.md.
 */
package io.capstan.node;
