package io.capstan.node.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Recognizes a layer's compression by its first bytes (media types are not always right in
 * docker archives): gzip and uncompressed tar are read; zstd, xz and bzip2 are refused with a
 * clear message.
 */
final class Compression {
    enum Kind { NONE, GZIP }

    private Compression() {}

    /** Wraps {@code raw} so it yields the uncompressed bytes; {@code what} names the data in errors. */
    static InputStream uncompressed(InputStream raw, String what) throws IOException {
        BufferedInputStream in = raw instanceof BufferedInputStream b ? b : new BufferedInputStream(raw, 64 * 1024);
        return kind(in, what) == Kind.GZIP ? new GZIPInputStream(in, 64 * 1024) : in;
    }

    /** The compression of the stream at its current position (which it keeps). */
    static Kind kind(BufferedInputStream in, String what) throws IOException {
        in.mark(8);
        byte[] magic = in.readNBytes(6);
        in.reset();
        if (starts(magic, 0x1f, 0x8b)) {
            return Kind.GZIP;
        }
        if (starts(magic, 0x28, 0xb5, 0x2f, 0xfd)) {
            throw new InvalidImageException(what + " is zstd-compressed, which capstan does not support "
                + "(use gzip or an uncompressed tar)");
        }
        if (starts(magic, 0xfd, '7', 'z', 'X', 'Z', 0)) {
            throw new InvalidImageException(what + " is xz-compressed, which capstan does not support "
                + "(use gzip or an uncompressed tar)");
        }
        if (starts(magic, 'B', 'Z', 'h')) {
            throw new InvalidImageException(what + " is bzip2-compressed, which capstan does not support "
                + "(use gzip or an uncompressed tar)");
        }
        return Kind.NONE;
    }

    private static boolean starts(byte[] data, int... prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((data[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
