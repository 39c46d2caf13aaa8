package io.capstan.node.image;

/**
 * One layer of an image: the blob as stored ({@code digest}, {@code mediaType}, {@code size} in
 * bytes, possibly gzip-compressed) and the digest of its uncompressed tar ({@code diffId}), which
 * the chain ids are made of. {@link ImageStore#openLayer} reads it as an uncompressed tar.
 */
public record Layer(Digest digest, Digest diffId, String mediaType, long size) {}
