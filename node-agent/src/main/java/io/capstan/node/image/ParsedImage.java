package io.capstan.node.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One image read and verified from an archive, ready to enter the store: its manifest digest, the
 * tags to give it, every blob it needs (digest -> staged file, or null when the blob is already
 * stored) and its unpacked size.
 */
record ParsedImage(Digest manifest, List<String> tags, Map<Digest, Path> blobs, long unpackedSize) {}
