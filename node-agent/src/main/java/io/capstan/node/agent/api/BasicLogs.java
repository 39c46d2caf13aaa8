package io.capstan.node.agent.api;

import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.ContainerStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A plain reader of one CRI log file ({@code <RFC3339Nano> <stream> <P|F> <text>} per line):
 * tail, since, timestamps, limitBytes and follow (polling until the attempt has exited and the
 * file is drained). Does not follow rotation; the full reader is {@code io.capstan.node.logs}.
 */
final class BasicLogs implements ContainerLogs {
    private static final long POLL_MILLIS = 100;
    private final ContainerRuntime runtime;

    BasicLogs(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void write(Target target, Options o, OutputStream out) throws IOException, InterruptedException {
        ContainerStatus attempt = o.previous() ? target.previous() : target.current();
        if (attempt == null || attempt.logPath() == null || !Files.exists(attempt.logPath())) {
            return;
        }
        Path file = attempt.logPath();
        long[] budget = {o.limitBytes() == null ? Long.MAX_VALUE : o.limitBytes()};
        try (InputStream in = Files.newInputStream(file)) {
            LineReader lines = new LineReader(in);
            Deque<String> tail = o.tailLines() == null ? null : new ArrayDeque<>();
            for (String l = lines.next(); l != null; l = lines.next()) {
                if (tail != null) {
                    if (o.tailLines() > 0) {
                        tail.addLast(l);
                        if (tail.size() > o.tailLines()) {
                            tail.removeFirst();
                        }
                    }
                } else if (!emit(l, o, out, budget)) {
                    return;
                }
            }
            if (tail != null) {
                for (String l : tail) {
                    if (!emit(l, o, out, budget)) {
                        return;
                    }
                }
            }
            out.flush();
            if (!o.follow() || o.previous()) {
                return;
            }
            while (true) {
                boolean exited = runtime.containerStatus(attempt.id())
                        .map(s -> s.state() == ContainerStatus.ContainerState.EXITED).orElse(true);
                boolean any = false;
                for (String l = lines.next(); l != null; l = lines.next()) {
                    any = true;
                    if (!emit(l, o, out, budget)) {
                        return;
                    }
                }
                out.flush();
                if (exited && !any) {
                    return;
                }
                if (!any) {
                    Thread.sleep(POLL_MILLIS);
                }
            }
        }
    }

    /** Writes one CRI line as the user sees it; false once limitBytes is reached. */
    private static boolean emit(String line, Options o, OutputStream out, long[] budget) throws IOException {
        String[] f = line.split(" ", 4);
        if (f.length < 3) {
            return true;
        }
        if (o.since() != null) {
            try {
                if (Instant.parse(f[0]).isBefore(o.since())) {
                    return true;
                }
            } catch (DateTimeParseException e) {
                return true;
            }
        }
        String text = (f.length == 4 ? f[3] : "") + ("P".equals(f[2]) ? "" : "\n");
        byte[] b = ((o.timestamps() ? f[0] + " " : "") + text).getBytes(StandardCharsets.UTF_8);
        int n = (int) Math.min(b.length, budget[0]);
        out.write(b, 0, n);
        budget[0] -= n;
        return budget[0] > 0;
    }

    /** Complete lines of a growing file; a line without its newline yet is kept until it is complete. */
    private static final class LineReader {
        private final InputStream in;
        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
        private final byte[] buf = new byte[8192];
        private int pos;
        private int len;

        LineReader(InputStream in) {
            this.in = in;
        }

        String next() throws IOException {
            while (true) {
                while (pos < len) {
                    byte c = buf[pos++];
                    if (c == '\n') {
                        String s = partial.toString(StandardCharsets.UTF_8);
                        partial.reset();
                        return s;
                    }
                    partial.write(c);
                }
                len = in.read(buf);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    return null;
                }
            }
        }
    }
}
