package io.capstan.node.network;

import io.capstan.node.sys.MountTable;
import io.capstan.node.sys.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Pinned pod network namespaces: {@code <dir>/<pod-uid>} is a bind mount of a new network
 * namespace, made by util-linux {@code unshare --net=FILE} (the JVM never unshares itself). The
 * namespace lives as long as the pin, independent of any process, so the network is ready before
 * the sandbox starts and can be torn down after it died.
 */
final class PodNetns {
    private final Path dir;

    PodNetns(Path dir) {
        this.dir = dir;
    }

    Path path(String podUid) {
        PodNetwork.checkUid(podUid);
        return dir.resolve(podUid);
    }

    /** Creates the pinned namespace of {@code podUid}, or returns the existing one. */
    Path create(String podUid) throws IOException {
        Path p = path(podUid);
        Files.createDirectories(dir);
        if (isPinned(p)) {
            return p;
        }
        if (!Files.exists(p)) {
            Files.createFile(p);
        }
        Process unshare = new ProcessBuilder(HostExec.resolve("unshare"), "--net=" + p, "true").redirectErrorStream(true).start();
        String out;
        try {
            out = new String(unshare.getInputStream().readAllBytes()).strip();
            if (!unshare.waitFor(30, TimeUnit.SECONDS) || unshare.exitValue() != 0) {
                unshare.destroyForcibly();
                Files.deleteIfExists(p);
                throw new IOException("cannot create the network namespace " + p + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating " + p, e);
        }
        return p;
    }

    /** Whether {@code podUid}'s namespace is pinned. */
    boolean exists(String podUid) throws IOException {
        return isPinned(path(podUid));
    }

    /** Unpins and deletes the namespace file; nothing when it is gone already. */
    void remove(String podUid) throws IOException {
        Path p = path(podUid);
        if (isPinned(p)) {
            Sys.umount(real(p), Sys.MNT_DETACH);
        }
        Files.deleteIfExists(p);
    }

    /** The pod uids with a namespace file (pinned or left over). */
    List<String> list() throws IOException {
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.forEach(p -> out.add(p.getFileName().toString()));
            }
        }
        return out;
    }

    private static boolean isPinned(Path p) throws IOException {
        return Files.exists(p) && MountTable.isMountPoint(real(p));
    }

    private static Path real(Path p) throws IOException {
        return p.getParent().toRealPath().resolve(p.getFileName());
    }
}
