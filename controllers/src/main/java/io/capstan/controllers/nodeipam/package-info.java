/**
 * The node IPAM controller, as kube-controller-manager's range allocator: every Node gets a pod
 * CIDR block (spec.podCIDR, spec.podCIDRs) out of the cluster CIDR, freed when the Node goes.
 * See docs/services.md.
 */
package io.capstan.controllers.nodeipam;
