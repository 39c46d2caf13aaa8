package io.capstan.node.image;

import io.capstan.node.cri.ImageInfo;
import io.capstan.node.cri.ImageService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The node's local image store under {@code <data-dir>/images}:
 * <ul>
 * <li>{@code blobs/sha256/<hex>}: manifests, configs and layers by digest;</li>
 * <li>{@code index.json}: the images (by manifest digest) and the tags naming them;</li>
 * <li>{@code lock}: held by writers; {@code tmp/}: imports in progress.</li>
 * </ul>
 * Imports are verified in {@code tmp/} first, then blobs are renamed into place and the index is
 * replaced atomically, all under the lock, so another process ({@code capstan image import} next to
 * a running server) can write safely, and readers see either the old or the new index; every query
 * re-reads the index when the file changed. An image whose last tag goes away is deleted with every
 * blob no other image needs, unless a container uses it ({@link ImageUsage}): then removal is
 * refused, and a tag moved to another image leaves the old one dangling (untagged) until it is free.
 */
public final class ImageStore implements ImageService {
    private final Path root;
    private final BlobStore blobs;
    private final IndexFile index;
    private final StoreLock lock;
    private final ImageUsage usage;
    private final StoredImages stored;

    /** What a removal did: the tags it took away and the image it deleted, if any. */
    public record Removal(List<String> untagged, Optional<Digest> deleted) {}

    private ImageStore(Path root, ImageUsage usage) throws IOException {
        this.root = Files.createDirectories(root);
        this.blobs = new BlobStore(root);
        this.index = new IndexFile(root.resolve("index.json"));
        this.lock = new StoreLock(root.resolve("lock"));
        this.usage = usage;
        this.stored = new StoredImages(blobs);
    }

    /** Opens (creating when absent) the store in {@code <dataDir>/images}. */
    public static ImageStore open(Path dataDir, ImageUsage usage) throws IOException {
        return new ImageStore(dataDir.resolve("images"), usage);
    }

    public Path root() {
        return root;
    }

    /**
     * Imports every image of a tarball: an OCI image layout, a docker archive or a plain root
     * filesystem (told apart by their content). {@code ref} (optional for archives that name their
     * image, required for a root filesystem) tags the image instead of the archive's own names.
     * Importing the same content again changes nothing but tags.
     *
     * @throws InvalidImageException when the file is not a complete, consistent image archive;
     *     the store is then unchanged
     * @throws IllegalArgumentException when {@code ref} is not a valid reference or the options are
     *     given for an archive
     */
    public List<Image> importArchive(Path file, String ref, ImportOptions options) throws IOException {
        ImageReference named = ref == null ? null : ImageReference.parse(ref);
        if (named != null && named.digest() != null) {
            throw new IllegalArgumentException("invalid REF \"" + ref + "\": an import is named by a tag, not a digest");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidImageException(file + " is not a regular file");
        }
        ImportOptions opts = options == null ? ImportOptions.NONE : options;
        try (Staging staging = new Staging(root)) {
            List<ParsedImage> parsed = parse(file, named, opts, staging);
            for (ParsedImage p : parsed) {
                if (p.tags().isEmpty()) {
                    throw new InvalidImageException(file + " does not name its image " + p.manifest()
                        + ": give a REF");
                }
            }
            try (StoreLock.Held held = lock.acquire()) {
                for (ParsedImage p : parsed) {
                    for (Map.Entry<Digest, Path> b : p.blobs().entrySet()) {
                        blobs.commit(b.getValue(), b.getKey());
                    }
                }
                blobs.syncDirectory();
                IndexFile.Snapshot s = index.current();
                Map<String, Digest> tags = new HashMap<>(s.tags());
                Map<String, Long> images = new HashMap<>(s.images());
                for (ParsedImage p : parsed) {
                    images.put(p.manifest().toString(), p.unpackedSize());
                    p.tags().forEach(t -> tags.put(t, p.manifest()));
                }
                IndexFile.Snapshot next = new IndexFile.Snapshot(tags, images);
                if (!next.equals(s)) {
                    replaceIndex(next);
                }
            }
            List<Image> out = new ArrayList<>();
            IndexFile.Snapshot s = index.current();
            for (ParsedImage p : parsed) {
                out.add(stored.image(p.manifest(), s));
            }
            return out;
        }
    }

    private List<ParsedImage> parse(Path file, ImageReference named, ImportOptions opts, Staging staging)
        throws IOException {
        Set<String> names = ArchiveFiles.names(file);
        boolean oci = names.contains("oci-layout") && names.contains("index.json");
        boolean docker = names.contains("manifest.json");
        if ((oci || docker) && opts.isSet()) {
            throw new IllegalArgumentException("--entrypoint, --cmd, --env and --workdir apply only to a root-filesystem "
                + "tarball; " + file + " is an " + (oci ? "OCI layout" : "docker archive"));
        }
        if (!oci && !docker) {
            return List.of(RootfsImage.parse(file, named, opts, staging));
        }
        ArchiveFiles files = ArchiveFiles.extract(file, staging);
        try {
            return (oci ? new OciLayout(files) : new DockerArchive(files)).images(named);
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException(e.getMessage());
        }
    }

    /**
     * The image a reference names: a tag ({@code busybox}, {@code busybox:1}), a digest reference
     * ({@code busybox@sha256:...}, of a manifest tagged in that repository), an image id
     * ({@code sha256:<hex>} or the bare hex) or a unique id prefix of at least 12 hex digits.
     *
     * @throws IllegalArgumentException when {@code reference} is not a valid reference
     */
    public Optional<Image> find(String reference) throws IOException {
        return consistently(s -> stored.resolve(reference, s).map(m -> stored.image(m, s)));
    }

    /** Every image, tagged or dangling, ordered by manifest digest. */
    public List<Image> images() throws IOException {
        return consistently(s -> {
            List<Image> out = new ArrayList<>();
            for (String m : s.images().keySet()) {
                out.add(stored.image(Digest.parse(m), s));
            }
            return out;
        });
    }

    private interface Read<T> {
        T from(IndexFile.Snapshot s) throws IOException;
    }

    /**
     * Runs a lock-free read on the current index; if another process deleted a blob the snapshot
     * still names (an image removed meanwhile), reads once more from the index as it is now.
     */
    private <T> T consistently(Read<T> read) throws IOException {
        try {
            return read.from(index.current());
        } catch (NoSuchFileException e) {
            return read.from(index.current());
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return read.from(index.current());
            }
            throw e;
        }
    }

    /**
     * Removes a reference: a tag untags it; a digest reference or an image id removes every tag of
     * that image (in that repository). When no tag is left the image is deleted with every blob no
     * other image needs; that is refused when a container uses the image.
     *
     * @throws NoSuchImageException when nothing matches
     * @throws ImageInUseException when the image would be deleted while a container uses it
     */
    public Removal remove(String reference) throws IOException {
        try (StoreLock.Held held = lock.acquire()) {
            IndexFile.Snapshot s = index.current();
            Digest manifest = stored.resolve(reference, s).orElseThrow(() -> new NoSuchImageException(
                "no such image: " + reference));
            List<String> tagsOf = s.tagsOf(manifest);
            List<String> untag;
            if (tagsOf.contains(StoredImages.normalizedOrNull(reference))) {
                untag = List.of(StoredImages.normalizedOrNull(reference));
            } else if (stored.isIdReference(reference, s)) {
                untag = tagsOf;
            } else {
                String repo = ImageReference.parse(reference).name();
                untag = tagsOf.stream().filter(t -> ImageReference.parse(t).name().equals(repo)).toList();
            }
            Map<String, Digest> tags = new HashMap<>(s.tags());
            untag.forEach(tags::remove);
            Map<String, Long> images = new HashMap<>(s.images());
            Optional<Digest> deleted = Optional.empty();
            if (!tags.containsValue(manifest)) {
                Digest id = stored.image(manifest, s).id();
                List<String> users = usage.containersUsing(id);
                if (!users.isEmpty()) {
                    throw new ImageInUseException("image " + (tagsOf.isEmpty() ? id.shortHex()
                        : displayName(tagsOf.get(0)) + " (" + id.shortHex() + ")") + " is in use by container" + (users.size() > 1 ? "s " : " ")
                        + String.join(", ", users));
                }
                images.remove(manifest.toString());
                deleted = Optional.of(id);
            }
            replaceIndex(new IndexFile.Snapshot(tags, images));
            return new Removal(untag, deleted);
        }
    }

    /**
     * Opens a layer as an uncompressed tar stream (the caller closes it).
     *
     * @throws InvalidImageException for a compression other than gzip (zstd, xz, bzip2)
     */
    public InputStream openLayer(Layer layer) throws IOException {
        return Compression.uncompressed(blobs.open(layer.digest()), "layer " + layer.digest());
    }

    @Override
    public Optional<ImageInfo> imageStatus(String reference) {
        try {
            return find(reference).map(ImageStore::info);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<ImageInfo> listImages() {
        try {
            return images().stream().map(ImageStore::info).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ImageInfo info(Image i) {
        return new ImageInfo(i.id().toString(), i.referencesWithDigests(), i.unpackedSize());
    }

    /** {@code busybox} for {@code docker.io/library/busybox:latest}, as Docker prints it. */
    static String displayName(String normalized) {
        ImageReference r = ImageReference.parse(normalized);
        return r.familiarName() + (r.tag() == null ? "" : ":" + r.tag());
    }

    /**
     * Writes {@code next} without the dangling images no container uses, then deletes every blob
     * no remaining image needs (after the write, so the index never names a missing blob). Call
     * under the lock.
     */
    private void replaceIndex(IndexFile.Snapshot next) throws IOException {
        Map<String, Long> images = new HashMap<>(next.images());
        for (String m : next.images().keySet()) {
            Digest manifest = Digest.parse(m);
            if (next.tagsOf(manifest).isEmpty() && usage.containersUsing(stored.parts(manifest).id()).isEmpty()) {
                images.remove(m);
            }
        }
        index.write(new IndexFile.Snapshot(next.tags(), images));
        Set<Digest> needed = new HashSet<>();
        for (String m : images.keySet()) {
            Digest manifest = Digest.parse(m);
            StoredImages.Parts p = stored.parts(manifest);
            needed.add(manifest);
            needed.add(p.id());
            p.layers().forEach(l -> needed.add(l.digest()));
        }
        for (Digest blob : blobs.list()) {
            if (!needed.contains(blob)) {
                blobs.delete(blob);
            }
        }
        Staging.removeStale(root);
    }
}
