package io.capstan.node.image;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest {@code sha256:<64 lowercase hex>}, the only algorithm the store keeps. Parsing
 * rejects other algorithms and malformed hex with an {@link IllegalArgumentException}.
 */
public record Digest(String hex) {
    private static final Pattern HEX = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern ALGORITHM = Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*");

    public Digest {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("invalid sha256 digest \"sha256:" + hex + "\" (expected 64 lowercase hex digits)");
        }
    }

    /** Parses {@code sha256:<hex>}. */
    public static Digest parse(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("invalid digest: empty");
        }
        int colon = s.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("invalid digest \"" + s + "\" (expected sha256:<64 hex digits>)");
        }
        String algorithm = s.substring(0, colon);
        if (!ALGORITHM.matcher(algorithm).matches()) {
            throw new IllegalArgumentException("invalid digest \"" + s + "\" (bad algorithm \"" + algorithm + "\")");
        }
        if (!algorithm.equals("sha256")) {
            throw new IllegalArgumentException("unsupported digest algorithm \"" + algorithm + "\" in \"" + s
                + "\" (only sha256 is supported)");
        }
        String hex = s.substring(colon + 1);
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("invalid digest \"" + s + "\" (expected 64 lowercase hex digits after sha256:)");
        }
        return new Digest(hex);
    }

    /** Whether {@code s} is a well-formed sha256 digest. */
    public static boolean isDigest(String s) {
        return s != null && s.startsWith("sha256:") && HEX.matcher(s.substring(7)).matches();
    }

    public static Digest of(byte[] content) {
        return new Digest(HexFormat.of().formatHex(sha256().digest(content)));
    }

    public static Digest of(String content) {
        return of(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The digest of everything {@code in} yields (read to its end, not closed). */
    public static Digest of(InputStream in) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[64 * 1024];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            md.update(buf, 0, n);
        }
        return new Digest(HexFormat.of().formatHex(md.digest()));
    }

    static Digest of(MessageDigest md) {
        return new Digest(HexFormat.of().formatHex(md.digest()));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first 12 hex digits, as {@code docker images} shows an id. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return "sha256:" + hex;
    }
}
