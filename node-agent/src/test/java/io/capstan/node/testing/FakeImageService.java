package io.capstan.node.testing;

import io.capstan.node.cri.ImageInfo;
import io.capstan.node.cri.ImageService;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link ImageService} over an in-memory set of images. References are normalized as Docker
 * does for the cases tests use ({@code busybox} and {@code busybox:latest} are
 * {@code docker.io/library/busybox:latest}; {@code user/app:1} is {@code docker.io/user/app:1}).
 */
public final class FakeImageService implements ImageService {
    private final Map<String, ImageInfo> byId = new ConcurrentHashMap<>();

    /** Adds an image named {@code reference} of {@code sizeBytes}; its id derives from the reference. */
    public ImageInfo add(String reference, long sizeBytes) {
        String ref = normalize(reference);
        ImageInfo info = new ImageInfo("sha256:" + Integer.toHexString(ref.hashCode()) + "0".repeat(56), List.of(ref),
                sizeBytes);
        byId.put(info.id(), info);
        return info;
    }

    public void remove(String reference) {
        String ref = normalize(reference);
        byId.values().removeIf(i -> i.references().contains(ref));
    }

    @Override
    public Optional<ImageInfo> imageStatus(String reference) {
        if (reference == null) {
            return Optional.empty();
        }
        String ref = normalize(reference);
        return byId.values().stream().filter(i -> i.references().contains(ref) || i.id().equals(reference)).findFirst();
    }

    @Override
    public List<ImageInfo> listImages() {
        return List.copyOf(byId.values());
    }

    /** Docker's normalization of a reference (without digest handling beyond keeping it). */
    public static String normalize(String reference) {
        String ref = reference;
        int slash = ref.indexOf('/');
        String first = slash < 0 ? "" : ref.substring(0, slash);
        boolean hasRegistry = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
        if (!hasRegistry) {
            ref = (slash < 0 ? "docker.io/library/" : "docker.io/") + ref;
        }
        String last = ref.substring(ref.lastIndexOf('/') + 1);
        if (!last.contains(":") && !last.contains("@")) {
            ref = ref + ":latest";
        }
        return ref;
    }
}
