package io.capstan.node.stream;

import io.capstan.node.cri.ContainerInput;
import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.ExecOptions;
import io.capstan.node.cri.ExecSession;
import io.capstan.node.cri.RuntimeFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Exec and attach sessions over {@link CommandStreams}, whatever the transport: connects the
 * client's streams to the runtime, waits for the end, and sends the final status.
 */
final class RemoteCommand {
    private static final Logger LOG = Logger.getLogger(RemoteCommand.class);

    private RemoteCommand() {}

    /** Runs {@code command} in the container and relays its streams until it exits. */
    static void exec(ContainerRuntime runtime, String containerId, List<String> command, boolean tty,
            CommandStreams client, Duration drainTimeout) {
        ExecSession session;
        try {
            session = runtime.execStream(containerId, command, new ExecOptions(client.stdin() != null, tty));
        } catch (RuntimeFailure | RuntimeException e) {
            LOG.debugf("exec in %s failed: %s", containerId, e.getMessage());
            client.finish(StatusJson.internalError(String.valueOf(e.getMessage())), e.getMessage());
            return;
        }
        try {
            client.onClientGone(session::close);
            client.onResize(session::resize);
            if (client.stdin() != null) {
                pumpIn(client.stdin(), session.stdin(), "stream-exec-stdin");
            }
            Thread out = pumpOut(session.stdout(), client.stdout(), "stream-exec-stdout");
            Thread err = pumpOut(session.stderr(), tty ? null : client.stderr(), "stream-exec-stderr");
            int code = session.waitFor();
            long deadline = System.nanoTime() + drainTimeout.toNanos();
            for (Thread t : List.of(out, err)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left > 0) {
                    t.join(left);
                }
            }
            session.close();
            if (client.clientGone()) {
                client.close();
            } else if (code == 0) {
                client.finish(StatusJson.success(), null);
            } else {
                String cmd = String.join(" ", command);
                client.finish(StatusJson.nonZeroExit(cmd, code),
                        "command '" + cmd + "' exited with " + code);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
        } finally {
            session.close();
        }
    }

    /**
     * Attaches the client to the container: stdin and resizes to {@link ContainerRuntime#attach}
     * (only when the client asked for stdin or a tty), output from {@code source}, until the
     * container ends or the client goes.
     */
    static void attach(ContainerRuntime runtime, String containerId, OutputSource source, boolean tty,
            CommandStreams client) {
        ContainerInput input = null;
        if (client.stdin() != null || tty) {
            try {
                input = runtime.attach(containerId);
            } catch (RuntimeFailure | RuntimeException e) {
                client.finish(StatusJson.internalError(String.valueOf(e.getMessage())), e.getMessage());
                return;
            }
        }
        CountDownLatch done = new CountDownLatch(1);
        Throwable[] failure = new Throwable[1];
        try {
            client.onClientGone(done::countDown);
            if (input != null) {
                client.onResize(input::resize);
                if (client.stdin() != null) {
                    pumpIn(client.stdin(), input.stdin(), "stream-attach-stdin");
                }
            }
            OutputSource.ChunkSink sink = (stream, b, off, len) -> {
                OutputStream to = stream == 2 ? (client.stderr() != null ? client.stderr() : tty ? client.stdout() : null)
                        : client.stdout();
                if (to != null) {
                    to.write(b, off, len);
                    to.flush();
                }
            };
            Thread pump = Threads.start("stream-attach-output", () -> {
                try {
                    source.pump(sink);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException | RuntimeException e) {
                    failure[0] = e;
                } finally {
                    done.countDown();
                }
            });
            done.await();
            if (client.clientGone()) {
                pump.interrupt();
                client.close();
            } else if (failure[0] != null) {
                client.finish(StatusJson.internalError(String.valueOf(failure[0].getMessage())), failure[0].getMessage());
            } else {
                client.finish(StatusJson.success(), null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
        } finally {
            Streams.closeQuietly(input);
        }
    }

    /** Copies the client's stdin to {@code to} and closes it at EOF (drops it when there is no {@code to}). */
    private static void pumpIn(InputStream from, OutputStream to, String name) {
        Threads.start(name, () -> {
            if (to == null) {
                Streams.drain(from);
                return;
            }
            Streams.copy(from, to);
            Streams.closeQuietly(to);
        });
    }

    /** Copies a command's output to the client; drains it when the client did not ask for it. */
    private static Thread pumpOut(InputStream from, OutputStream to, String name) {
        return Threads.start(name, () -> {
            if (from == null) {
                return;
            }
            if (to == null || !Streams.copy(from, to)) {
                Streams.drain(from);
            }
        });
    }
}
