package io.capstan.node.cri;

import java.util.List;

/**
 * A local image: its id (the config digest, {@code sha256:...}), every reference that names it
 * (normalized tags and {@code repo@sha256:} digests), and its unpacked size in bytes.
 */
public record ImageInfo(String id, List<String> references, long sizeBytes) {
    public ImageInfo {
        references = List.copyOf(references);
    }
}
