package io.capstan.node.graph;

import io.capstan.node.sys.MountTable;
import io.capstan.node.sys.Sys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The vfs driver: every layer ({@code layers/<id>/fs}) is a full copy of its parent with the tar
 * applied on top (whiteouts applied as deletions), and a writable container's {@code rootfs} is a
 * full copy of its top layer. Plain files only, so it works on any filesystem, at the cost of disk
 * space and copy time. A read-only container is a read-only bind mount of its top layer (no copy).
 */
final class VfsDriver extends AbstractGraphDriver {

    static final String NAME = "vfs";

    private final Path empty;

    VfsDriver(Path root) throws IOException {
        super(root);
        empty = this.root.resolve("empty");
        Files.createDirectories(empty);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected Path content(Path layerDir) {
        return layerDir.resolve("fs");
    }

    @Override
    protected long unpack(Path tmpLayer, String parent, InputStream tar) throws IOException {
        Path fs = content(tmpLayer);
        if (parent == null) {
            Files.createDirectory(fs);
        } else {
            TreeCopier.copy(content(layerDir(parent)), fs);
        }
        return LayerUnpacker.unpack(tar, fs, LayerUnpacker.Whiteouts.DELETE);
    }

    @Override
    protected void create(Path tmpContainer, String topLayer, boolean readOnly) throws IOException {
        Path rootfs = tmpContainer.resolve("rootfs");
        if (readOnly || topLayer == null) {
            Files.createDirectory(rootfs);
        } else {
            TreeCopier.copy(content(layerDir(topLayer)), rootfs);
        }
    }

    @Override
    protected Path mount(Path container, String topLayer, boolean readOnly) throws IOException {
        Path rootfs = container.resolve("rootfs");
        if (readOnly && !MountTable.isMountPoint(rootfs)) {
            List<Path> chain = chain(topLayer);
            Path source = chain.isEmpty() ? empty : content(chain.get(0));
            Sys.mount(source.toString(), rootfs, null, Sys.MS_BIND, null);
            Sys.mount(null, rootfs, null, Sys.MS_REMOUNT | Sys.MS_BIND | Sys.MS_RDONLY, null);
        }
        return rootfs;
    }

    @Override
    protected void unmount(Path container) throws IOException {
        Trees.unmountAll(container.resolve("rootfs"));
    }

    @Override
    protected long commit(Path container, String topLayer, Path tmpLayer) throws IOException {
        Path fs = content(tmpLayer);
        TreeCopier.copy(container.resolve("rootfs"), fs);
        return Math.max(0, Trees.size(fs) - (topLayer == null ? 0 : Trees.size(content(layerDir(topLayer)))));
    }

    /** Estimate: the copy's size minus the top layer's (deletions make it lower than the truth). */
    @Override
    protected long usage(Path container, String topLayer) throws IOException {
        if (readOnly(container)) {
            return 0;
        }
        long base = topLayer == null ? 0 : Trees.size(content(layerDir(topLayer)));
        return Math.max(0, Trees.size(container.resolve("rootfs")) - base);
    }
}
