/**
 * Simulated nodes, as kwok does: control-plane test infrastructure that registers Node objects,
 * keeps their Leases and Ready heartbeats fresh, and plays the kubelet's part for the pods bound
 * to them (Running and Ready with an IP, Job pods finishing, graceful deletions confirmed), with
 * no containers anywhere. Entry point: {@link io.capstan.controllers.simulate.SimulatedNodes}.
 */
package io.capstan.controllers.simulate;
