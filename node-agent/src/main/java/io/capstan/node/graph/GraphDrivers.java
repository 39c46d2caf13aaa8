package io.capstan.node.graph;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Opens a graph driver by its config name. */
public final class GraphDrivers {

    /** The driver used when none is configured. */
    public static final String DEFAULT = OverlayDriver.NAME;

    /** The names {@link #open} accepts. */
    public static final List<String> NAMES = List.of(OverlayDriver.NAME, VfsDriver.NAME);

    private GraphDrivers() {
    }

    /**
     * Opens driver {@code name} ({@link #DEFAULT} when null or blank) with its root at
     * {@code <dataDir>/graph/<name>}, creating it if needed. Opening makes the root a private bind
     * mount (so container mounts never propagate to other mount namespaces) and discards unfinished
     * work of an earlier process; layers, containers and their mounts are kept. Open one driver
     * per root at a time (one agent per data dir): a second one would discard the first's
     * unfinished work.
     *
     * @throws IllegalArgumentException for an unknown name
     * @throws GraphException           (UNSUPPORTED) when the host cannot run the driver
     */
    public static GraphDriver open(String name, Path dataDir) throws IOException {
        String n = name == null || name.isBlank() ? DEFAULT : name.trim();
        Path root = dataDir.resolve("graph").resolve(n);
        return switch (n) {
            case OverlayDriver.NAME -> new OverlayDriver(root);
            case VfsDriver.NAME -> new VfsDriver(root);
            default -> throw new IllegalArgumentException("unknown graph driver '" + n + "'; known: " + NAMES);
        };
    }
}
