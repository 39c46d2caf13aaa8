package io.capstan.node.stream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Terminal size messages from the client: a stream of JSON objects {@code {"Width":W,"Height":H}}
 * (one per WebSocket message on channel 4, or newline-separated on the SPDY resize stream), fed in
 * any chunking; each complete object is handed to the listener. A size that arrives before the
 * listener is set is kept and delivered when it is.
 */
final class Resizes {
    private static final Pattern WIDTH = Pattern.compile("\"Width\"\\s*:\\s*(\\d+)");
    private static final Pattern HEIGHT = Pattern.compile("\"Height\"\\s*:\\s*(\\d+)");
    private final ByteArrayOutputStream object = new ByteArrayOutputStream();
    private int depth;
    private Listener listener;
    private int[] pending;

    /** Receives terminal sizes. */
    @FunctionalInterface
    interface Listener {
        void resize(int columns, int rows);
    }

    /** Feeds bytes of the JSON stream. */
    void feed(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (depth == 0 && c != '{') {
                continue;
            }
            object.write(c);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                parse(object.toString(StandardCharsets.UTF_8));
                object.reset();
            }
            if (object.size() > 4096) { // not a size message; resynchronise
                object.reset();
                depth = 0;
            }
        }
    }

    /** Sets the listener; a size received before is delivered now. */
    void listen(Listener l) {
        int[] size;
        synchronized (this) {
            listener = l;
            size = pending;
            pending = null;
        }
        if (size != null) {
            l.resize(size[0], size[1]);
        }
    }

    private void parse(String json) {
        Matcher w = WIDTH.matcher(json);
        Matcher h = HEIGHT.matcher(json);
        if (!w.find() || !h.find()) {
            return;
        }
        int columns;
        int rows;
        try {
            columns = Integer.parseInt(w.group(1));
            rows = Integer.parseInt(h.group(1));
        } catch (NumberFormatException e) {
            return;
        }
        Listener l;
        synchronized (this) {
            l = listener;
            if (l == null) {
                pending = new int[] {columns, rows};
            }
        }
        if (l != null) {
            try {
                l.resize(columns, rows);
            } catch (RuntimeException ignored) {
                // a terminal that cannot be resized does not end the session
            }
        }
    }
}
