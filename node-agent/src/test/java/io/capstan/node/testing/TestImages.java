package io.capstan.node.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Busybox test images built from Debian's {@code busybox-static} ({@code /bin/busybox}): a root
 * filesystem with the applet links ({@code busybox --list-full}) and empty {@code proc sys dev
 * tmp etc} directories, written as a plain rootfs tarball, an OCI image-layout tarball or a
 * docker-archive tarball (as {@code docker save} writes it). The same call always writes the same
 * bytes (fixed timestamps and owners), so the image id is stable. The archives' image config has
 * {@link #CMD} and {@link #ENV}.
 */
public final class TestImages {
    /** Where the busybox binary comes from. */
    public static final Path BUSYBOX = Path.of("/bin/busybox");
    /** The Cmd of the OCI and docker archives' config. */
    public static final List<String> CMD = List.of("sh");
    /** The Env of the OCI and docker archives' config. */
    public static final List<String> ENV = List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    private static final long MTIME = 1_700_000_000L;
    private static byte[] layer;

    private TestImages() {}

    /** A plain root-filesystem tarball ({@code busybox-rootfs.tar[.gz]} in {@code dir}). */
    public static Path rootfsTarball(Path dir, boolean gzip) throws IOException {
        Path file = dir.resolve(gzip ? "busybox-rootfs.tar.gz" : "busybox-rootfs.tar");
        Files.write(file, gzip ? gzip(rootfsTar()) : rootfsTar());
        return file;
    }

    /**
     * An OCI image-layout tarball with one gzip layer; {@code refName} (may be null) goes into the
     * {@code org.opencontainers.image.ref.name} annotation of index.json.
     */
    public static Path ociLayout(Path dir, String refName) throws IOException {
        byte[] tar = rootfsTar();
        byte[] gz = gzip(tar);
        byte[] config = config(sha256(tar));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.put("config", descriptor("application/vnd.oci.image.config.v1+json", config));
        manifest.put("layers", List.of(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", gz)));
        byte[] manifestBytes = json(manifest);
        Map<String, Object> desc = descriptor("application/vnd.oci.image.manifest.v1+json", manifestBytes);
        if (refName != null) {
            desc.put("annotations", Map.of("org.opencontainers.image.ref.name", refName));
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", "application/vnd.oci.image.index.v1+json");
        index.put("manifests", List.of(desc));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        files.put("index.json", json(index));
        files.put("blobs/sha256/" + sha256(manifestBytes), manifestBytes);
        files.put("blobs/sha256/" + sha256(config), config);
        files.put("blobs/sha256/" + sha256(gz), gz);
        Path file = dir.resolve("busybox-oci.tar");
        writeTar(file, files);
        return file;
    }

    /**
     * A docker-archive tarball in the classic {@code docker save} shape ({@code <hex>.json} config,
     * {@code <id>/layer.tar}, manifest.json, repositories); {@code repoTag} (may be null) goes
     * into RepoTags.
     */
    public static Path dockerArchive(Path dir, String repoTag) throws IOException {
        byte[] tar = rootfsTar();
        byte[] config = config(sha256(tar));
        String layerId = sha256(tar);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("Config", sha256(config) + ".json");
        entry.put("RepoTags", repoTag == null ? List.of() : List.of(repoTag));
        entry.put("Layers", List.of(layerId + "/layer.tar"));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(layerId + "/VERSION", "1.0".getBytes(StandardCharsets.UTF_8));
        files.put(layerId + "/json", ("{\"id\":\"" + layerId + "\"}").getBytes(StandardCharsets.UTF_8));
        files.put(layerId + "/layer.tar", tar);
        files.put(sha256(config) + ".json", config);
        files.put("manifest.json", json(List.of(entry)));
        Path file = dir.resolve("busybox-docker.tar");
        writeTar(file, files);
        return file;
    }

    /** The uncompressed busybox root filesystem tar. */
    public static synchronized byte[] rootfsTar() throws IOException {
        if (layer == null) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = tarStream(bytes)) {
                for (String d : List.of("bin", "sbin", "usr", "usr/bin", "usr/sbin", "proc", "sys", "dev", "tmp", "etc")) {
                    TarArchiveEntry e = new TarArchiveEntry(d + "/", TarConstants.LF_DIR);
                    e.setMode(d.equals("tmp") ? 01777 : 0755);
                    add(tar, e, null);
                }
                byte[] busybox = Files.readAllBytes(BUSYBOX);
                TarArchiveEntry bin = new TarArchiveEntry("bin/busybox");
                bin.setMode(0755);
                bin.setSize(busybox.length);
                add(tar, bin, busybox);
                for (String applet : applets()) {
                    if (applet.equals("bin/busybox") || !applet.contains("/")) {
                        continue;
                    }
                    TarArchiveEntry link = new TarArchiveEntry(applet, TarConstants.LF_SYMLINK);
                    link.setLinkName("/bin/busybox");
                    link.setMode(0777);
                    add(tar, link, null);
                }
            }
            layer = bytes.toByteArray();
        }
        return layer.clone();
    }

    /** Writes a tar of regular files (name -> content), in order, with fixed metadata. */
    public static void writeTar(Path file, Map<String, byte[]> files) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = tarStream(out)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setMode(0644);
                e.setSize(f.getValue().length);
                add(tar, e, f.getValue());
            }
        }
    }

    public static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** The lowercase hex sha256 of {@code data}. */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An OCI image config with one layer of this diffID (hex), {@link #CMD} and {@link #ENV}. */
    public static byte[] config(String diffIdHex) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("architecture", arch());
        cfg.put("os", "linux");
        cfg.put("config", Map.of("Env", ENV, "Cmd", CMD));
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("type", "layers");
        rootfs.put("diff_ids", List.of("sha256:" + diffIdHex));
        cfg.put("rootfs", rootfs);
        return json(cfg);
    }

    private static Map<String, Object> descriptor(String mediaType, byte[] content) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", "sha256:" + sha256(content));
        d.put("size", content.length);
        return d;
    }

    private static List<String> applets() throws IOException {
        Process p = new ProcessBuilder(BUSYBOX.toString(), "--list-full").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("busybox --list-full failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new ArrayList<>(out.lines().filter(l -> !l.isBlank()).sorted().toList());
    }

    private static TarArchiveOutputStream tarStream(OutputStream out) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        return tar;
    }

    private static void add(TarArchiveOutputStream tar, TarArchiveEntry e, byte[] content) throws IOException {
        e.setModTime(MTIME * 1000);
        e.setUserId(0);
        e.setGroupId(0);
        e.setUserName("root");
        e.setGroupName("root");
        tar.putArchiveEntry(e);
        if (content != null) {
            tar.write(content);
        }
        tar.closeArchiveEntry();
    }

    /** Canonical enough JSON for test blobs: insertion-ordered maps, lists, strings and numbers. */
    public static byte[] json(Object value) {
        StringBuilder sb = new StringBuilder();
        writeJson(sb, value);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void writeJson(StringBuilder sb, Object v) {
        if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : (m instanceof LinkedHashMap ? m : new java.util.TreeMap<>(m)).entrySet()) {
                sb.append(first ? "" : ",");
                first = false;
                writeJson(sb, e.getKey().toString());
                sb.append(':');
                writeJson(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ",");
                writeJson(sb, l.get(i));
            }
            sb.append(']');
        } else if (v instanceof Number n) {
            sb.append(n);
        } else {
            sb.append('"');
            for (char c : v.toString().toCharArray()) {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }
    }

    private static String arch() {
        String a = System.getProperty("os.arch");
        return a.equals("x86_64") || a.equals("amd64") ? "amd64" : a.equals("aarch64") ? "arm64" : a;
    }
}
