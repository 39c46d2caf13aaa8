/**
 * The node's local OCI image store under {@code <data-dir>/images}: content-addressable blobs
 * (manifests, configs and layers, by sha256 digest) and an index of references. Images arrive by
 * {@link io.capstan.node.image.ImageStore#importArchive import} of an OCI-layout tarball, a
 * docker-archive tarball or a plain root-filesystem tarball; references are normalized as Docker
 * does ({@link io.capstan.node.image.ImageReference}). The store is safe to use from several
 * processes at once (a file lock guards writes; readers re-read the index when it changes), and it
 * implements the agent's {@link io.capstan.node.cri.ImageService}. See docs/images.md.
 */
package io.capstan.node.image;
