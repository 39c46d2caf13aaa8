package io.capstan.node.graph;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds layer tars in memory for tests (PAX long names, numeric owners, all entry types). */
final class TarBuilder {

    static final Instant MTIME = Instant.parse("2024-01-02T03:04:05Z");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream out = new TarArchiveOutputStream(bytes);

    TarBuilder() {
        out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    TarBuilder dir(String name) {
        return dir(name, 0755, 0, 0);
    }

    TarBuilder dir(String name, int mode, int uid, int gid) {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
        return put(e, mode, uid, gid, null);
    }

    TarBuilder file(String name, String content) {
        return file(name, content, 0644, 0, 0);
    }

    TarBuilder file(String name, String content, int mode, int uid, int gid) {
        return put(new TarArchiveEntry(name), mode, uid, gid, content.getBytes(StandardCharsets.UTF_8));
    }

    TarBuilder file(String name, byte[] content, int mode) {
        return put(new TarArchiveEntry(name), mode, 0, 0, content);
    }

    TarBuilder symlink(String name, String target) {
        return symlink(name, target, 0, 0);
    }

    TarBuilder symlink(String name, String target, int uid, int gid) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        return put(e, 0777, uid, gid, null);
    }

    TarBuilder hardlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
        e.setLinkName(target);
        return put(e, 0644, 0, 0, null);
    }

    TarBuilder device(String name, byte type, int major, int minor) {
        TarArchiveEntry e = new TarArchiveEntry(name, type);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        return put(e, 0666, 0, 0, null);
    }

    TarBuilder whiteout(String path) {
        int slash = path.lastIndexOf('/');
        return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), "");
    }

    TarBuilder opaque(String dir) {
        return file(dir + "/.wh..wh..opq", "");
    }

    /** /bin/busybox from the host plus its applet links, and the usual empty directories. */
    TarBuilder busybox() throws IOException, InterruptedException {
        dir("bin").file("bin/busybox", Files.readAllBytes(Path.of("/bin/busybox")), 0755);
        for (String d : new String[] {"sbin", "usr", "usr/bin", "usr/sbin", "etc", "tmp", "proc", "sys", "dev"}) {
            dir(d);
        }
        Process p = new ProcessBuilder("/bin/busybox", "--list-full").redirectErrorStream(true).start();
        String list = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        for (String applet : list.split("\n")) {
            if (!applet.isBlank() && !applet.equals("bin/busybox")) {
                symlink(applet, "../".repeat(applet.split("/").length - 1) + "bin/busybox");
            }
        }
        return this;
    }

    private TarBuilder put(TarArchiveEntry e, int mode, int uid, int gid, byte[] content) {
        try {
            e.setMode(mode);
            e.setUserId(uid);
            e.setGroupId(gid);
            e.setModTime(Date.from(MTIME));
            if (content != null) {
                e.setSize(content.length);
            }
            out.putArchiveEntry(e);
            if (content != null) {
                out.write(content);
            }
            out.closeArchiveEntry();
            return this;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    byte[] bytes() {
        try {
            out.finish();
            out.close();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    InputStream stream() {
        return new ByteArrayInputStream(bytes());
    }
}
