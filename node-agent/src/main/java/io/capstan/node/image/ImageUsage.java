package io.capstan.node.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which containers use an image, so the store refuses to delete it. The runtime can answer
 * in-process; {@link #fromContainerState} reads what the runtime leaves on disk, which also works
 * from a separate {@code capstan image rm} process.
 */
@FunctionalInterface
public interface ImageUsage {

    /** The ids of the containers whose image is {@code imageId}; empty when none. */
    List<String> containersUsing(Digest imageId) throws IOException;

    /** No container ever uses an image. */
    ImageUsage NONE = imageId -> List.of();

    /**
     * Reads {@code <data-dir>/runtime/containers/<id>/image-id} files: a container uses the image
     * whose id (with or without the {@code sha256:} prefix) its file holds.
     */
    static ImageUsage fromContainerState(Path dataDir) {
        Path containers = dataDir.resolve("runtime").resolve("containers");
        return imageId -> {
            List<String> out = new ArrayList<>();
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(containers)) {
                for (Path dir : dirs) {
                    String held;
                    try {
                        held = Files.readString(dir.resolve("image-id"), StandardCharsets.UTF_8).trim();
                    } catch (NoSuchFileException e) {
                        continue;
                    }
                    if (held.equals(imageId.toString()) || held.equals(imageId.hex())) {
                        out.add(dir.getFileName().toString());
                    }
                }
            } catch (NoSuchFileException e) {
                return List.of();
            }
            out.sort(null);
            return out;
        };
    }
}
