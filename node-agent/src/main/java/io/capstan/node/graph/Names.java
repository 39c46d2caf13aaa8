package io.capstan.node.graph;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * File names for opaque layer and container ids: bytes outside {@code [A-Za-z0-9._-]} (and a
 * leading dot) become {@code %XX}, so the mapping is reversible and no name is {@code .}, {@code ..}
 * or contains a slash; {@code sha256:ab..} is stored as {@code sha256%3Aab..}.
 */
final class Names {

    static final int MAX_ID_LENGTH = 200;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] LINK_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private Names() {
    }

    static String encode(String id) throws GraphException {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw new GraphException(GraphException.Reason.INVALID_ID,
                    "invalid id " + (id == null ? "null" : "'" + id + "'")
                            + ": must have 1 to " + MAX_ID_LENGTH + " characters");
        }
        StringBuilder b = new StringBuilder();
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || (c == '.' && i > 0);
            if (plain) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }

    static String decode(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '%' && i + 2 < name.length()) {
                out.write(Integer.parseInt(name.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A random 12-character name for an overlay lower-directory link. */
    static String shortLink() {
        char[] c = new char[12];
        for (int i = 0; i < c.length; i++) {
            c[i] = LINK_ALPHABET[RANDOM.nextInt(LINK_ALPHABET.length)];
        }
        return new String(c);
    }
}
