package io.capstan.node.shim;

import io.capstan.node.cri.PodConnection;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A connected {@code capstan-shim connect} process as a {@link PodConnection}: its stdout is what
 * the pod's side sends, its stdin what goes to it (closing {@link #output()} half-closes the TCP
 * connection). {@link #close()} ends the shim, which closes the connection.
 */
final class ShimConnection implements PodConnection {
    private final Process process;
    private final OutputStream output;

    ShimConnection(Process process) {
        this.process = process;
        this.output = new FlushingOutputStream(process.getOutputStream());
    }

    @Override
    public InputStream input() {
        return process.getInputStream();
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        ShimExecSession.closeQuietly(process.getOutputStream());
        ShimExecSession.closeQuietly(process.getInputStream());
        ShimExecSession.closeQuietly(process.getErrorStream());
    }
}
