package io.capstan.node.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * The Kubernetes channel protocol over WebSocket ({@code v4.channel.k8s.io},
 * {@code v5.channel.k8s.io}): binary messages whose first byte is the stream: 0 stdin, 1 stdout,
 * 2 stderr, 3 error (the final Status), 4 resize; in v5, {@code [255, id]} closes the client's
 * stream {@code id} (stdin EOF). The session ends with the Status on channel 3 and a close frame.
 */
final class ChannelStreams implements CommandStreams {
    static final int STDIN = 0;
    static final int STDOUT = 1;
    static final int STDERR = 2;
    static final int ERROR = 3;
    static final int RESIZE = 4;
    static final int CLOSE_STREAM = 255;
    private static final int CHUNK = 32 * 1024;
    private final WebSocketConnection ws;
    private final boolean v5;
    private final BytePipe stdin;
    private final OutputStream stdout;
    private final OutputStream stderr;
    private final Duration linger;
    private final Resizes resizes = new Resizes();
    private final Gone gone = new Gone();

    ChannelStreams(WebSocketConnection ws, boolean v5, boolean stdin, boolean stdout, boolean stderr,
            Duration linger) {
        this.ws = ws;
        this.v5 = v5;
        this.stdin = stdin ? new BytePipe(256 * 1024, null) : null;
        this.stdout = stdout ? new ChannelOutput(STDOUT) : null;
        this.stderr = stderr ? new ChannelOutput(STDERR) : null;
        this.linger = linger;
    }

    /**
     * Starts reading the client. Like kubelet, first sends an empty message on the lowest channel
     * the server writes, telling the client the session is up.
     */
    void start(String name) throws IOException {
        int first = stdout != null ? STDOUT : stderr != null ? STDERR : ERROR;
        ws.send(WebSocketFrames.BINARY, new byte[] {(byte) first});
        Threads.start("stream-ws-" + name, this::readLoop);
    }

    private void readLoop() {
        try {
            WebSocketConnection.Message m;
            while ((m = ws.readMessage()) != null) {
                byte[] d = m.data();
                if (m.opcode() != WebSocketFrames.BINARY || d.length == 0) {
                    continue;
                }
                int channel = d[0] & 0xff;
                if (channel == STDIN && stdin != null) {
                    stdin.write(d, 1, d.length - 1);
                } else if (channel == RESIZE) {
                    resizes.feed(d, 1, d.length - 1);
                } else if (channel == CLOSE_STREAM && v5 && d.length >= 2 && d[1] == STDIN && stdin != null) {
                    stdin.close();
                }
            }
        } catch (IOException e) {
            // the connection broke: the client is gone
        } finally {
            if (stdin != null) {
                stdin.close();
            }
            gone.signal();
        }
    }

    @Override
    public InputStream stdin() {
        return stdin == null ? null : stdin.input();
    }

    @Override
    public OutputStream stdout() {
        return stdout;
    }

    @Override
    public OutputStream stderr() {
        return stderr;
    }

    @Override
    public void onResize(Resizes.Listener listener) {
        resizes.listen(listener);
    }

    @Override
    public void onClientGone(Runnable r) {
        gone.onGone(r);
    }

    @Override
    public boolean clientGone() {
        return gone.isGone();
    }

    @Override
    public void finish(String statusJson, String failureMessage) {
        try {
            ws.send(WebSocketFrames.BINARY, new byte[] {ERROR}, statusJson.getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // the client is gone; nothing to tell
        }
        ws.sendClose(1000, "");
        gone.await(linger);
        close();
    }

    @Override
    public void close() {
        ws.close();
    }

    /** Writes to one server-to-client channel. */
    private final class ChannelOutput extends OutputStream {
        private final byte[] prefix;

        ChannelOutput(int channel) {
            this.prefix = new byte[] {(byte) channel};
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, CHUNK);
                ws.send(WebSocketFrames.BINARY, prefix, Arrays.copyOfRange(b, off, off + n));
                off += n;
                len -= n;
            }
        }
    }
}
