package io.capstan.node.image;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads a (possibly gzip-compressed) tar from start to end, handing each entry to a visitor, and
 * measures the uncompressed stream: its sha256 (a layer's diffID) and length. Anything that makes
 * the data not a complete tar (not a tar at all, truncated, corrupt gzip) becomes one
 * {@link InvalidImageException}; the visitor's own I/O errors pass through unchanged.
 */
final class TarReader {
    /** What the whole read found. */
    record Result(Compression.Kind compression, int entries, Digest diffId, long size) {}

    @FunctionalInterface
    interface Visitor {
        void entry(TarArchiveEntry entry, InputStream content) throws IOException;
    }

    /** An error of the archive data, told apart from the visitor's own errors. */
    private static final class BadData extends IOException {
        BadData(IOException cause) {
            super(cause);
        }
    }

    private TarReader() {}

    static Result read(InputStream raw, String what, Visitor visitor) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
        Compression.Kind kind = Compression.kind(in, what);
        MessageDigest md = Digest.sha256();
        CountingInput counted;
        try {
            InputStream plain = kind == Compression.Kind.GZIP ? new java.util.zip.GZIPInputStream(in, 64 * 1024) : in;
            counted = new CountingInput(new DigestInputStream(plain, md));
        } catch (ZipException | EOFException e) {
            throw new InvalidImageException(what + " is not valid gzip data");
        }
        int entries = 0;
        try {
            // entries counts the headers read so far: an error before the first one means not a tar.
            TarArchiveInputStream tar = new TarArchiveInputStream(new Guard(counted));
            for (TarArchiveEntry e = next(tar); e != null; e = next(tar)) {
                entries++;
                visitor.entry(e, new Guard(tar));
            }
            byte[] rest = new byte[64 * 1024];
            InputStream tail = new Guard(counted);
            while (tail.read(rest) >= 0) {
                // the end-of-archive blocks and padding count towards the diffID
            }
        } catch (BadData e) {
            IOException c = (IOException) e.getCause();
            if (causedBy(c, EOFException.class) || String.valueOf(c.getMessage()).contains("runcated")) {
                throw new InvalidImageException(what + " is truncated");
            }
            if (causedBy(c, ZipException.class)) {
                throw new InvalidImageException(what + " is not valid gzip data");
            }
            if (entries == 0) {
                throw new InvalidImageException(what + " is not a tar archive");
            }
            throw new InvalidImageException(what + " is not a valid tar archive (" + c.getMessage() + ")");
        }
        if (entries == 0) {
            if (counted.count == 0) {
                throw new InvalidImageException(what + " is empty");
            }
            if (!counted.leadingZeros) {
                throw new InvalidImageException(what + " is not a tar archive");
            }
        }
        return new Result(kind, entries, Digest.of(md), counted.count);
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static TarArchiveEntry next(TarArchiveInputStream tar) throws BadData {
        try {
            return tar.getNextEntry();
        } catch (IOException | IllegalArgumentException e) {
            throw new BadData(e instanceof IOException io ? io : new IOException(e.getMessage(), e));
        }
    }

    /** Turns read errors of the archive into {@link BadData}. */
    private static final class Guard extends FilterInputStream {
        Guard(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (BadData e) {
                throw e;
            } catch (IOException e) {
                throw new BadData(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (BadData e) {
                throw e;
            } catch (IOException e) {
                throw new BadData(e);
            }
        }

        @Override
        public void close() {
            // the tar stream stays open for the next entry
        }
    }

    /** Counts bytes and notes whether the first 512 are all zero (an empty tar). */
    private static final class CountingInput extends FilterInputStream {
        long count;
        boolean leadingZeros = true;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                note(b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            for (int i = 0; i < n && count + i < 512; i++) {
                note(b[off + i]);
            }
            if (n > 0) {
                count += n;
            }
            return n;
        }

        private void note(int b) {
            if (count < 512 && b != 0) {
                leadingZeros = false;
            }
        }
    }
}
