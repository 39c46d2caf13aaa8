package io.capstan.node.graph;

import io.capstan.node.sys.MountTable;
import io.capstan.node.sys.Sys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The overlayfs driver: each layer is a directory ({@code layers/<id>/diff}) holding only its own
 * changes, whiteouts stored as overlayfs does (0/0 char devices, {@code trusted.overlay.opaque=y}).
 * Each container gets {@code upper/}, {@code work/} and {@code merged/}; {@code merged} is one
 * overlay mount whose lowerdir is the layer chain, named through short links under {@code l/} so
 * that the mount data stays below one page for long chains.
 */
final class OverlayDriver extends AbstractGraphDriver {

    static final String NAME = "overlay";
    /** Keep upper self-contained so that commit can copy it: no index, redirects or metacopy. */
    private static final String OPTIONS = ",index=off,redirect_dir=off,metacopy=off";
    private static final int MAX_MOUNT_DATA = 4095;

    private final Path links;
    private final Path empty;

    OverlayDriver(Path root) throws IOException {
        super(checkHost(root));
        links = this.root.resolve("l");
        empty = this.root.resolve("empty");
        Files.createDirectories(links);
        Files.createDirectories(empty);
        try (Stream<Path> s = Files.list(links)) {
            for (Path link : s.toList()) {
                if (!Files.exists(link)) {
                    Files.delete(link); // left by a crash between link creation and publication
                }
            }
        }
    }

    private static Path checkHost(Path root) throws IOException {
        String path = root.toAbsolutePath().normalize().toString();
        if (path.contains(",") || path.contains(":") || path.contains("\\")) {
            throw new GraphException(GraphException.Reason.UNSUPPORTED,
                    "overlay root " + path + " must not contain ',', ':' or '\\'");
        }
        if (!Files.readString(Path.of("/proc/filesystems")).contains("\toverlay\n")) {
            throw new GraphException(GraphException.Reason.UNSUPPORTED,
                    "overlay: the kernel has no overlayfs (not in /proc/filesystems); use the vfs driver");
        }
        return root;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected Path content(Path layerDir) {
        return layerDir.resolve("diff");
    }

    @Override
    protected long unpack(Path tmpLayer, String parent, InputStream tar) throws IOException {
        Path diff = Files.createDirectory(content(tmpLayer));
        List<Path> lowers = chain(parent).stream().map(this::content).toList();
        return LayerUnpacker.unpack(tar, diff, LayerUnpacker.Whiteouts.OVERLAY, path -> anyHas(lowers, path));
    }

    /** Whether any of the layer directories has an entry at {@code path} (symlinks resolved inside each). */
    private static boolean anyHas(List<Path> layers, List<String> path) {
        for (Path layer : layers) {
            try {
                Path dir = ScopedPaths.resolveDir(layer, path.subList(0, path.size() - 1), false);
                if (ScopedPaths.lstat(dir.resolve(path.get(path.size() - 1))) != null) {
                    return true;
                }
            } catch (IOException e) {
                // not in this layer (a missing or non-directory parent)
            }
        }
        return false;
    }

    @Override
    public void publishing(Path tmpLayer, Path layerDir) throws IOException {
        String name = Names.shortLink();
        Files.writeString(tmpLayer.resolve("link"), name);
        Files.createSymbolicLink(links.resolve(name), Path.of("..", "layers", layerDir.getFileName().toString(), "diff"));
    }

    @Override
    public void discarded(Path layerRecord) throws IOException {
        Path link = layerRecord.resolve("link");
        if (Files.exists(link)) {
            Files.deleteIfExists(links.resolve(Files.readString(link).trim()));
        }
    }

    @Override
    protected void create(Path tmpContainer, String topLayer, boolean readOnly) throws IOException {
        Files.createDirectory(tmpContainer.resolve("upper"));
        Files.createDirectory(tmpContainer.resolve("work"));
        Files.createDirectory(tmpContainer.resolve("merged"));
    }

    @Override
    protected Path mount(Path container, String topLayer, boolean readOnly) throws IOException {
        Path merged = container.resolve("merged");
        if (MountTable.isMountPoint(merged)) {
            return merged;
        }
        List<String> lowers = new ArrayList<>();
        for (Path layer : chain(topLayer)) {
            lowers.add(links.resolve(Files.readString(layer.resolve("link")).trim()).toString());
        }
        if (lowers.isEmpty()) {
            lowers.add(empty.toString());
        }
        String upper = container.resolve("upper").toString();
        String work = container.resolve("work").toString();
        String data = "lowerdir=" + String.join(":", lowers) + ",upperdir=" + upper + ",workdir=" + work + OPTIONS;
        if (data.length() <= MAX_MOUNT_DATA) {
            Sys.mount("overlay", merged, "overlay", readOnly ? Sys.MS_RDONLY : 0, data);
        } else {
            // Too long for mount(2)'s one page: pass the lower directories one by one.
            List<String[]> options = new ArrayList<>();
            for (String lower : lowers) {
                options.add(new String[] {"lowerdir+", lower});
            }
            options.add(new String[] {"upperdir", upper});
            options.add(new String[] {"workdir", work});
            for (String option : OPTIONS.substring(1).split(",")) {
                options.add(option.split("=", 2));
            }
            Sys.mountWithOptions("overlay", "overlay", options, merged, readOnly);
        }
        return merged;
    }

    @Override
    protected void unmount(Path container) throws IOException {
        Trees.unmountAll(container.resolve("merged"));
    }

    @Override
    protected long commit(Path container, String topLayer, Path tmpLayer) throws IOException {
        Path diff = content(tmpLayer);
        TreeCopier.copy(container.resolve("upper"), diff);
        return Trees.size(diff);
    }

    @Override
    protected long usage(Path container, String topLayer) throws IOException {
        return Trees.size(container.resolve("upper"));
    }
}
