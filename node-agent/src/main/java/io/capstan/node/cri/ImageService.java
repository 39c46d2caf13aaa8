package io.capstan.node.cri;

import java.util.List;
import java.util.Optional;

/**
 * The node's local images as the agent sees them: whether an image a pod names is present, and the
 * list the node reports in {@code status.images}. References are normalized as Docker does
 * ({@code busybox} is {@code docker.io/library/busybox:latest}).
 */
public interface ImageService {

    /** The image a reference (tag or digest) names, if it is present on this node. */
    Optional<ImageInfo> imageStatus(String reference);

    /** Every image present on this node. */
    List<ImageInfo> listImages();
}
