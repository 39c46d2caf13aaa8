package io.capstan.node.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * Finds where the last N lines start by reading the files backwards in blocks, newest file first,
 * so a large file is never read whole. A line is counted at its final ('F') record of a selected
 * stream; reading starts just after the (N+1)-th such record from the end, so the partial records
 * of the counted lines come with them. (A line of one stream whose first parts come before the
 * boundary, interleaved with lines of the other stream, is shown from the boundary on.)
 */
final class TailFinder {
    private static final int BLOCK = 8192;
    private static final int HEADER = 96;

    private TailFinder() {
    }

    /** {index of the source, byte offset in it} to start reading at for the last {@code n} lines. */
    static long[] find(List<LogSource> sources, long n, LogStream stream) throws IOException {
        long[] counted = {0};
        for (int i = sources.size() - 1; i >= 0; i--) {
            long at = scan(sources.get(i).channel(), n + 1, stream, counted);
            if (at >= 0) {
                return new long[] {i, at};
            }
        }
        return new long[] {0, 0};
    }

    /** The offset just after the record that makes {@code counted} reach {@code target}, or -1. */
    private static long scan(FileChannel ch, long target, LogStream stream, long[] counted) throws IOException {
        long size = ch.size();
        byte[] block = new byte[BLOCK];
        byte[] header = new byte[HEADER];
        CriRecord rec = new CriRecord();
        long lineEnd = -1;
        long p = size;
        while (p > 0) {
            int len = (int) Math.min(BLOCK, p);
            long start = p - len;
            read(ch, block, len, start);
            for (int i = len - 1; i >= 0; i--) {
                if (block[i] != '\n') {
                    continue;
                }
                long nl = start + i;
                if (lineEnd >= 0 && counts(ch, nl + 1, lineEnd, header, rec, stream) && ++counted[0] == target) {
                    return lineEnd + 1;
                }
                lineEnd = nl;
            }
            p = start;
        }
        if (lineEnd >= 0 && counts(ch, 0, lineEnd, header, rec, stream) && ++counted[0] == target) {
            return lineEnd + 1;
        }
        return -1;
    }

    private static boolean counts(FileChannel ch, long from, long to, byte[] header, CriRecord rec, LogStream stream)
            throws IOException {
        int len = (int) Math.min(HEADER, to - from);
        if (len <= 0) {
            return false;
        }
        read(ch, header, len, from);
        return rec.parse(header, 0, len) && !rec.partial && stream.accepts(rec.stream);
    }

    private static void read(FileChannel ch, byte[] into, int len, long at) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(into, 0, len);
        while (bb.hasRemaining()) {
            if (ch.read(bb, at + bb.position()) < 0) {
                java.util.Arrays.fill(into, bb.position(), len, (byte) 0);
                return;
            }
        }
    }
}
