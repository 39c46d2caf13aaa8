/**
 * The native container engine: {@link io.capstan.node.runtime.NativeContainerRuntime} composes the
 * local image store ({@code io.capstan.node.image}), a graph driver ({@code io.capstan.node.graph}),
 * the pod and container cgroups ({@code io.capstan.node.cgroup}) and the {@code capstan-shim}
 * ({@code io.capstan.node.shim}) into the agent's {@link io.capstan.node.cri.ContainerRuntime}.
 * Its state lives in JSON records under {@code <data-dir>/runtime}, so a new instance over the same
 * data directory picks up the sandboxes and containers an earlier agent process left running.
 * {@link io.capstan.node.runtime.RuntimeConfig} is its typed configuration.
 */
package io.capstan.node.runtime;
