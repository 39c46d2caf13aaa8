package io.capstan.node.logs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Applies the options to parsed records and writes the result to the sink: stream selection, the
 * since filter and the timestamp prefix decided once per line (at its first record, so the parts of
 * a partial line are joined), the newline after a final record, and the byte limit.
 */
final class Emitter {
    private static final byte[] NL = {'\n'};

    private final LogOptions options;
    private final LogSink sink;
    private final CriRecord rec = new CriRecord();
    /** Per stream (0 = stdout, 1 = stderr): inside a partial line, and whether that line is skipped. */
    private final boolean[] mid = new boolean[2];
    private final boolean[] skip = new boolean[2];
    private long remaining;
    long written;
    long malformed;

    Emitter(LogOptions options, LogSink sink) {
        this.options = options;
        this.sink = sink;
        this.remaining = options.limitBytes() < 0 ? Long.MAX_VALUE : options.limitBytes();
    }

    /** True once the byte limit is reached. */
    boolean full() {
        return remaining <= 0;
    }

    /**
     * Handles one record {@code b[off, off+len)} (without its newline; {@code complete} false for a
     * truncated last line, which gets no newline). Returns false once the byte limit is reached.
     */
    boolean record(byte[] b, int off, int len, boolean complete) throws IOException {
        if (full()) {
            return false;
        }
        if (!rec.parse(b, off, len)) {
            malformed++;
            return true;
        }
        if (!options.stream().accepts(rec.stream)) {
            return true;
        }
        int s = "stdout".equals(rec.stream) ? 0 : 1;
        if (!mid[s]) {
            skip[s] = false;
            if (options.since() != null || options.timestamps()) {
                Instant t = rec.time(b);
                if (t == null) {
                    malformed++;
                    skip[s] = true;
                } else if (options.since() != null && t.isBefore(options.since())) {
                    skip[s] = true;
                } else if (options.timestamps()) {
                    byte[] prefix = (CriRecord.OUT.format(t) + " ").getBytes(StandardCharsets.US_ASCII);
                    write(rec.stream, prefix, 0, prefix.length);
                }
            }
        }
        mid[s] = rec.partial;
        if (skip[s]) {
            return true;
        }
        write(rec.stream, b, rec.contentStart, rec.contentEnd - rec.contentStart);
        if (!rec.partial && complete) {
            write(rec.stream, NL, 0, 1);
        }
        return !full();
    }

    private void write(String stream, byte[] b, int off, int len) throws IOException {
        int n = (int) Math.min(len, remaining);
        if (n <= 0) {
            return;
        }
        sink.write(stream, b, off, n);
        remaining -= n;
        written += n;
    }
}
