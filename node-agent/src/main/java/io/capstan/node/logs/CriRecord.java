package io.capstan.node.logs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * One parsed CRI log record {@code <time> <stream> <tag>[:more tags] <content>} (without its
 * newline): offsets into the caller's buffer, so parsing copies nothing but the time.
 */
final class CriRecord {
    /** The kubelet's output time format: RFC 3339 with exactly 9 fraction digits. */
    static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX")
            .withZone(ZoneOffset.UTC);

    String stream;
    boolean partial;
    int timeStart;
    int timeEnd;
    int contentStart;
    int contentEnd;

    /** Parses {@code b[off, off+len)} into this; false (and this unchanged in meaning) if malformed. */
    boolean parse(byte[] b, int off, int len) {
        int end = off + len;
        int sp1 = indexOf(b, off, end, (byte) ' ');
        if (sp1 <= off || b[off] < '0' || b[off] > '9') {
            return false;
        }
        int sp2 = indexOf(b, sp1 + 1, end, (byte) ' ');
        if (sp2 < 0) {
            return false;
        }
        String s;
        if (is(b, sp1 + 1, sp2, "stdout")) {
            s = "stdout";
        } else if (is(b, sp1 + 1, sp2, "stderr")) {
            s = "stderr";
        } else {
            return false;
        }
        int sp3 = indexOf(b, sp2 + 1, end, (byte) ' ');
        int tagEnd = sp3 < 0 ? end : sp3;
        if (tagEnd == sp2 + 1) {
            return false;
        }
        stream = s;
        partial = b[sp2 + 1] == 'P' && (tagEnd == sp2 + 2 || b[sp2 + 2] == ':');
        timeStart = off;
        timeEnd = sp1;
        contentStart = sp3 < 0 ? end : sp3 + 1;
        contentEnd = end;
        return true;
    }

    /** The record's time, or null if it is not an RFC 3339 time. */
    Instant time(byte[] b) {
        try {
            return OffsetDateTime.parse(new String(b, timeStart, timeEnd - timeStart, StandardCharsets.US_ASCII))
                    .toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static int indexOf(byte[] b, int from, int end, byte c) {
        for (int i = from; i < end; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean is(byte[] b, int from, int to, String word) {
        if (to - from != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (b[from + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
