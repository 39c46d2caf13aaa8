package io.capstan.node.graph;

/**
 * A layer a graph driver holds.
 *
 * @param id     the caller's opaque id (capstan passes OCI chain ids, {@code sha256:<hex>})
 * @param parent the id of the layer below, or null for a base layer
 * @param size   bytes of regular-file content the layer itself added (not its parents')
 */
public record Layer(String id, String parent, long size) {
}
