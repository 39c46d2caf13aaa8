package io.capstan.node.logs;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Reads the log of one container attempt with {@link LogOptions} into a {@link LogSink}: the rotated
 * files oldest first, then the current one; the tail found backwards without reading whole files;
 * since, timestamps, stream selection and the byte limit applied per line.
 *
 * <p>Following: at the end of the current file the reader polls (every {@link #pollInterval}). When
 * the shim has rotated (the open file is no longer {@code <attempt>.log}) it drains the open file,
 * then reads the files written after it. It stops when {@code running} said false and everything
 * written before that answer has been read, when the sink is {@linkplain LogSink#closed() closed},
 * when a sink write throws (propagated), or when the thread is interrupted (its flag stays set).
 * Malformed records and over-long lines are skipped and counted in the {@link Result}; only sink
 * and file read failures throw.
 */
public final class LogReader {
    private static final Logger LOG = Logger.getLogger(LogReader.class);

    /**
     * What a read did.
     *
     * @param bytes       bytes written to the sink
     * @param skipped     malformed records skipped
     * @param interrupted whether it stopped because the thread was interrupted or the sink closed
     */
    public record Result(long bytes, long skipped, boolean interrupted) {
    }

    private final LogFiles files;
    private final LogOptions options;
    private Duration pollInterval = Duration.ofMillis(100);

    /** A reader of {@code files} with {@code options} ({@code options.previous()} is the caller's choice of files). */
    public LogReader(LogFiles files, LogOptions options) {
        this.files = files;
        this.options = options;
    }

    /** How often a following reader looks for new records (default 100 ms). */
    public LogReader pollInterval(Duration interval) {
        this.pollInterval = interval;
        return this;
    }

    /**
     * Reads, and follows if the options say so while {@code running} answers true. {@code running}
     * should turn false only once the shim has copied the container's last output (the runtime
     * reports the container exited when the shim wrote its exit file, after draining the pipes); for
     * a previous attempt pass {@code () -> false}.
     *
     * @throws IOException when the sink fails or a file cannot be read
     */
    public Result read(LogSink sink, BooleanSupplier running) throws IOException {
        Emitter em = new Emitter(options, sink);
        List<LogSource> sources = OpenFiles.open(files);
        boolean stopped = false;
        try {
            int idx = 0;
            if (options.tailLines() >= 0 && !sources.isEmpty()) {
                long[] at = TailFinder.find(sources, options.tailLines(), options.stream());
                idx = (int) at[0];
                sources.get(idx).seek(at[1]);
            }
            for (;;) {
                LogSource s = idx < sources.size() ? sources.get(idx) : null;
                if (s != null && !drain(s, em)) {
                    break;
                }
                if (s != null && idx < sources.size() - 1) {
                    finish(s, em);
                    idx++;
                    continue;
                }
                if (!options.follow()) {
                    if (s != null) {
                        finish(s, em);
                    }
                    break;
                }
                boolean alive = running.getAsBoolean();
                if (s != null && !drain(s, em)) {
                    break;
                }
                List<LogSource> fresh = OpenFiles.after(files, s, sources);
                if (!fresh.isEmpty()) {
                    if (s != null && drain(s, em)) {
                        finish(s, em);
                    }
                    sources.addAll(fresh);
                    idx = s == null ? sources.size() - fresh.size() : idx + 1;
                    continue;
                }
                if (!alive) {
                    if (s != null) {
                        finish(s, em);
                    }
                    break;
                }
                sink.flush();
                if (sink.closed() || Thread.currentThread().isInterrupted()) {
                    stopped = true;
                    break;
                }
                try {
                    Thread.sleep(pollInterval.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopped = true;
                    break;
                }
            }
            sink.flush();
        } catch (ClosedByInterruptException e) {
            // an interrupt during a file read closes the channel (the thread's flag stays set)
            stopped = true;
        } finally {
            for (LogSource s : sources) {
                em.malformed += s.dropped;
                s.close();
            }
        }
        if (em.malformed > 0) {
            LOG.warnf("Skipped %d malformed records in the log of container %s of pod %s (%s)", em.malformed,
                    files.container(), files.pod(), files.dir());
        }
        return new Result(em.written, em.malformed, stopped);
    }

    /** Writes the complete lines available now; false once the byte limit is reached. */
    private static boolean drain(LogSource s, Emitter em) throws IOException {
        while (s.next()) {
            if (!em.record(s.buf(), s.lineStart, s.lineLen, true)) {
                return false;
            }
        }
        return !em.full();
    }

    /** At the final end of a file: its truncated last line, if any, without a newline. */
    private static void finish(LogSource s, Emitter em) throws IOException {
        if (s.rest()) {
            em.record(s.buf(), s.lineStart, s.lineLen, false);
        }
    }
}
