package io.capstan.node.agent.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret this node shares with the API server: the file {@code <dir>/<nodeName>} holding 32
 * random bytes as hex. {@link #loadOrCreate} reads it, or creates it (mode 0600, written to a
 * temporary file and renamed into place, so a reader never sees half a secret). The API server
 * reads the same file; the agent API accepts only requests whose {@value #HEADER} header matches
 * it, compared in constant time.
 */
public final class NodeSecret {
    /** The request header carrying the secret. */
    public static final String HEADER = "X-Capstan-Node-Secret";

    private final byte[] secret;

    private NodeSecret(String secret) {
        this.secret = secret.getBytes(StandardCharsets.US_ASCII);
    }

    /** The secret of node {@code nodeName} in {@code dir}, created if absent. */
    public static NodeSecret loadOrCreate(Path dir, String nodeName) throws IOException {
        if (nodeName.isEmpty() || nodeName.contains("/") || nodeName.startsWith(".")) {
            throw new IllegalArgumentException("invalid node name for a secret file: " + nodeName);
        }
        Files.createDirectories(dir);
        Path file = dir.resolve(nodeName);
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            Path tmp = Files.createTempFile(dir, "." + nodeName, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(tmp, HexFormat.of().formatHex(random) + "\n");
                try {
                    // no REPLACE_EXISTING: if another process created it meanwhile, its secret wins
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException e) {
                    // lost the race
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        String s = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (s.isEmpty()) {
            throw new IOException("the node secret " + file + " is empty");
        }
        return new NodeSecret(s);
    }

    /** Whether {@code presented} is the secret, in time independent of where they differ. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(secret, presented.trim().getBytes(StandardCharsets.US_ASCII));
    }
}
