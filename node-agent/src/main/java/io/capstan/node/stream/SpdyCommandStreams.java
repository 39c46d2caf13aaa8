package io.capstan.node.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Exec and attach over SPDY/3.1 ({@code X-Stream-Protocol-Version} v4.channel.k8s.io down to
 * channel.k8s.io): the client opens one stream per standard stream, named by the header
 * {@code streamType} (error, stdin, stdout, stderr, and resize from v3 on with a tty). The error
 * stream carries the final Status as JSON from v4 on, the failure message as text before.
 */
final class SpdyCommandStreams implements CommandStreams {
    private final SpdyConnection connection;
    private final boolean statusJson;
    private final boolean resizable;
    private final boolean wantStdin;
    private final boolean wantStdout;
    private final boolean wantStderr;
    private final boolean tty;
    private final Duration linger;
    private final Resizes resizes = new Resizes();
    private SpdyStream error;
    private SpdyStream stdin;
    private SpdyStream stdout;
    private SpdyStream stderr;
    private SpdyStream resize;

    SpdyCommandStreams(SpdyConnection connection, String protocol, boolean stdin, boolean stdout, boolean stderr,
            boolean tty, Duration linger) {
        this.connection = connection;
        this.statusJson = protocol.equals(Handshake.V4);
        this.resizable = protocol.equals(Handshake.V4) || protocol.equals(Handshake.V3);
        this.wantStdin = stdin;
        this.wantStdout = stdout;
        this.wantStderr = stderr && !tty;
        this.tty = tty;
        this.linger = linger;
    }

    /** Accepts a stream the client opened (reader thread); refuses unknown or duplicate types. */
    synchronized boolean accept(SpdyStream s) {
        String type = s.header("streamtype");
        if (type == null) {
            return false;
        }
        boolean duplicate = switch (type) {
            case "error" -> error != null;
            case "stdin" -> stdin != null;
            case "stdout" -> stdout != null;
            case "stderr" -> stderr != null;
            case "resize" -> resize != null;
            default -> true;
        };
        if (duplicate) {
            return false;
        }
        switch (type) {
            case "error" -> error = s;
            case "stdin" -> stdin = s;
            case "stdout" -> stdout = s;
            case "stderr" -> stderr = s;
            default -> {
                resize = s;
                Threads.start("stream-spdy-resize", () -> {
                    byte[] buf = new byte[512];
                    InputStream in = s.input();
                    try {
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            resizes.feed(buf, 0, n);
                        }
                    } catch (IOException ignored) {
                        // the stream ended
                    }
                });
            }
        }
        notifyAll();
        return true;
    }

    /** Waits until the client opened every stream the request asked for; false on timeout or close. */
    synchronized boolean awaitStreams(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!complete()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || connection.isClosed()) {
                return false;
            }
            wait(Math.max(1, Math.min(left / 1_000_000, 100)));
        }
        return true;
    }

    private boolean complete() {
        return error != null && (!wantStdin || stdin != null) && (!wantStdout || stdout != null)
                && (!wantStderr || stderr != null) && (!(tty && resizable) || resize != null);
    }

    @Override
    public synchronized InputStream stdin() {
        return wantStdin && stdin != null ? stdin.input() : null;
    }

    @Override
    public synchronized OutputStream stdout() {
        return wantStdout && stdout != null ? stdout.output() : null;
    }

    @Override
    public synchronized OutputStream stderr() {
        return wantStderr && stderr != null ? stderr.output() : null;
    }

    @Override
    public void onResize(Resizes.Listener listener) {
        resizes.listen(listener);
    }

    @Override
    public void onClientGone(Runnable r) {
        connection.onClosed(r);
    }

    @Override
    public boolean clientGone() {
        return connection.isClosed();
    }

    @Override
    public void finish(String json, String failureMessage) {
        SpdyStream[] outputs;
        synchronized (this) {
            outputs = new SpdyStream[] {stdout, stderr, stdin, error};
        }
        try {
            if (error != null) {
                if (statusJson) {
                    error.output().write(json.getBytes(StandardCharsets.UTF_8));
                } else if (failureMessage != null) {
                    error.output().write(failureMessage.getBytes(StandardCharsets.UTF_8));
                }
            }
            for (SpdyStream s : outputs) {
                if (s != null) {
                    s.output().close();
                }
            }
        } catch (IOException ignored) {
            // the client is gone
        }
        connection.goAway();
        connection.awaitClosed(linger);
        close();
    }

    @Override
    public void close() {
        connection.close();
    }
}
