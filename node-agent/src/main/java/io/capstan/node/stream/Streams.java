package io.capstan.node.stream;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Small stream helpers. */
final class Streams {
    private Streams() {}

    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // best effort
        }
    }

    /** Copies until end of stream or an error on either side; returns whether it reached EOF. */
    static boolean copy(InputStream from, OutputStream to) {
        byte[] buf = new byte[16 * 1024];
        try {
            int n;
            while ((n = from.read(buf)) >= 0) {
                if (n > 0) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads and drops everything. */
    static void drain(InputStream from) {
        copy(from, OutputStream.nullOutputStream());
    }

    static void closeAll(Closeable... cs) {
        for (Closeable c : cs) {
            closeQuietly(c);
        }
    }
}
