package io.capstan.node.agent.probe;

/** A probe worker's published verdict on a container instance. */
enum ProbeResult {
    SUCCESS,
    FAILURE,
    UNKNOWN
}
