package io.capstan.node.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * The files of an image archive (OCI layout or docker archive), extracted into a {@link Staging}
 * directory under numbered names (so no archive path ever becomes a host path), with their
 * digests; symbolic and hard links between archive entries are followed.
 */
final class ArchiveFiles {
    private final Map<String, Staging.StagedFile> files = new HashMap<>();
    private final Map<String, String> links = new HashMap<>();
    private final String archive;

    private ArchiveFiles(String archive) {
        this.archive = archive;
    }

    /** The top-level names of a tar's entries (pass one: also proves the tar is complete). */
    static Set<String> names(Path file) throws IOException {
        Set<String> names = new java.util.HashSet<>();
        try (InputStream in = Files.newInputStream(file)) {
            TarReader.read(in, file.toString(), (e, content) -> names.add(normalize(e.getName())));
        }
        return names;
    }

    static ArchiveFiles extract(Path file, Staging staging) throws IOException {
        ArchiveFiles out = new ArchiveFiles(file.toString());
        try (InputStream in = Files.newInputStream(file)) {
            TarReader.read(in, file.toString(), (e, content) -> {
                String name = normalize(e.getName());
                if (e.isSymbolicLink()) {
                    String dir = name.contains("/") ? name.substring(0, name.lastIndexOf('/') + 1) : "";
                    out.links.put(name, normalize(e.getLinkName().startsWith("/") ? e.getLinkName() : dir + e.getLinkName()));
                } else if (e.isLink()) {
                    out.links.put(name, normalize(e.getLinkName()));
                } else if (e.isFile()) {
                    out.files.put(name, staging.write(content));
                }
            });
        }
        return out;
    }

    /** The file at {@code name}, following links, or null. */
    Staging.StagedFile get(String name) {
        String n = normalize(name);
        for (int i = 0; i < 16 && n != null; i++) {
            Staging.StagedFile f = files.get(n);
            if (f != null) {
                return f;
            }
            n = links.get(n);
        }
        return null;
    }

    /** The file at {@code name}, or an error naming it as missing. */
    Staging.StagedFile require(String name, String role) throws InvalidImageException {
        Staging.StagedFile f = get(name);
        if (f == null) {
            throw new InvalidImageException(archive + ": " + role + " " + name + " is missing from the archive");
        }
        return f;
    }

    byte[] read(Staging.StagedFile f) throws IOException {
        return Files.readAllBytes(f.path());
    }

    String archive() {
        return archive;
    }

    /** An archive path without "./", leading "/", "." and ".." components or a trailing "/". */
    static String normalize(String name) {
        Deque<String> parts = new ArrayDeque<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(p);
            }
        }
        return String.join("/", parts);
    }

    /** The first component of a normalized name. */
    static String top(String name) {
        int slash = name.indexOf('/');
        return slash < 0 ? name : name.substring(0, slash);
    }
}
