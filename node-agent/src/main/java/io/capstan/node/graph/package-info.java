/**
 * Graph drivers: the copy-on-write root filesystems of containers, built from image layers.
 *
 * <p>{@link io.capstan.node.graph.GraphDriver} is the seam; {@link io.capstan.node.graph.GraphDrivers}
 * opens one by name: {@code overlay} (the default; layers are shared read-only directories and each
 * container gets its own overlayfs upper layer) or {@code vfs} (every layer and container is a full
 * copy; works on any filesystem). Layers are unpacked once from uncompressed tar streams
 * (commons-compress), with OCI whiteouts and opaque directories, and never write outside their own
 * directory whatever the tar contains. See docs/graph-drivers.md for the on-disk layout.
 */
package io.capstan.node.graph;
