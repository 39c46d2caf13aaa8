package io.capstan.node.agent.probe;

import io.fabric8.kubernetes.api.model.Probe;

/** Runs a probe once against a container (the handlers; a fake one in the worker's tests). */
@FunctionalInterface
public interface Prober {
    Outcome probe(Probe probe, ProbeTarget target);
}
