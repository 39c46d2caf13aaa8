package io.capstan.node.agent.api;

import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.logs.LogException;
import io.capstan.node.logs.LogFiles;
import io.capstan.node.logs.LogOptions;
import io.capstan.node.logs.LogReader;
import io.capstan.node.logs.LogSink;
import io.capstan.node.stream.OutputSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * {@link ContainerLogs} over the CRI log files the shim writes, read with {@link LogReader}: the
 * files live in the container's log directory (so they outlive the agent and the container's
 * record), the previous attempt is the highest one below the current one, and a follow ends once
 * the attempt's container has exited and its files are drained.
 */
final class NodeLogs implements ContainerLogs {
    private final ContainerRuntime runtime;

    NodeLogs(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Body open(Target t, LogOptions options) throws ApiError {
        Path dir = t.logDir();
        if (dir == null) {
            throw waiting(t);
        }
        LogFiles files;
        try {
            files = options.previous() ? LogFiles.select(dir, t.pod(), t.container(), true)
                    : LogFiles.ofAttempt(dir, t.current().attempt(), t.pod(), t.container());
        } catch (LogException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        boolean follow = options.follow() && !options.previous();
        BooleanSupplier running = options.previous() ? () -> false : running(t.current());
        LogReader reader = new LogReader(files, options.withFollow(follow));
        return out -> reader.read(LogSink.to(out), running);
    }

    /** Lines before the end of the log searched for output printed since an attach began. */
    static final int ATTACH_LOOKBACK = 1000;

    @Override
    public OutputSource follow(Target t) throws ApiError {
        Path dir = t.logDir();
        if (dir == null) {
            throw waiting(t);
        }
        LogFiles files;
        try {
            files = LogFiles.ofAttempt(dir, t.current().attempt(), t.pod(), t.container());
        } catch (LogException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        // What the container prints from the moment of the attach on, also what it prints before the
        // reader has opened the files (the client's input may already have reached it): lines stamped
        // at or after now, looked for among the last ATTACH_LOOKBACK lines.
        LogReader reader = new LogReader(files, LogOptions.ALL.withTailLines(ATTACH_LOOKBACK)
                .withSince(java.time.Instant.now()).withFollow(true));
        BooleanSupplier running = running(t.current());
        return sink -> reader.read(new LogSink() {
            @Override
            public void write(String stream, byte[] b, int off, int len) throws IOException {
                sink.write("stderr".equals(stream) ? 2 : 1, b, off, len);
            }

            @Override
            public boolean closed() {
                return Thread.currentThread().isInterrupted();
            }
        }, running);
    }

    private BooleanSupplier running(ContainerStatus attempt) {
        return () -> runtime.containerStatus(attempt.id())
                .map(s -> s.state() != ContainerStatus.ContainerState.EXITED).orElse(false);
    }

    private static ApiError waiting(Target t) {
        return ApiError.badRequest("container \"" + t.container() + "\" in pod \"" + t.pod()
                + "\" is waiting to start: " + t.waitingReason());
    }

}
