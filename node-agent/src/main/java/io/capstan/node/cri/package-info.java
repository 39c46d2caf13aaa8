/**
 * The seam between the node agent (pod workers, status, restart policy) and the container engine
 * (images, graph drivers, cgroups, the shim), shaped after the Kubernetes Container Runtime
 * Interface: a {@link io.capstan.node.cri.ContainerRuntime} for sandboxes and containers and an
 * {@link io.capstan.node.cri.ImageService} for local images. The agent speaks only these two
 * interfaces; the native engine and the test fakes implement them, and one contract test suite
 * holds each implementation to the same behaviour.
 */
package io.capstan.node.cri;
