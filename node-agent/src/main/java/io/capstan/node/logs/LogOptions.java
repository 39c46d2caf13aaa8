package io.capstan.node.logs;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * The options of a container log read, as the kubelet's containerLogs endpoint takes them.
 *
 * @param stream     the streams to read ({@link LogStream#ALL} when null)
 * @param tailLines  only the last this many lines (of the selected streams, partial records joined
 *                   into lines), -1 for all
 * @param since      only lines whose (first) record is at or after this time; null for all
 * @param timestamps prefix every line with its record time (RFC 3339, 9 fraction digits) and a space
 * @param limitBytes stop after writing this many bytes (the last line is cut), -1 for no limit
 * @param follow     keep reading new records until the container has exited and the file is drained
 * @param previous   read the attempt before the current one (the previous terminated container)
 */
public record LogOptions(LogStream stream, long tailLines, Instant since, boolean timestamps, long limitBytes,
        boolean follow, boolean previous) {

    /** Everything, both streams, no follow. */
    public static final LogOptions ALL = new LogOptions(LogStream.ALL, -1, null, false, -1, false, false);

    /** Normalizes a null stream to {@link LogStream#ALL} and rejects out-of-range numbers. */
    public LogOptions {
        stream = stream == null ? LogStream.ALL : stream;
        if (tailLines < -1) {
            throw new IllegalArgumentException("tailLines: Invalid value: " + tailLines
                    + ": must be greater than or equal to 0");
        }
        if (limitBytes == 0 || limitBytes < -1) {
            throw new IllegalArgumentException("limitBytes: Invalid value: " + limitBytes + ": must be greater than 0");
        }
    }

    public LogOptions withStream(LogStream s) {
        return new LogOptions(s, tailLines, since, timestamps, limitBytes, follow, previous);
    }

    public LogOptions withTailLines(long n) {
        return new LogOptions(stream, n, since, timestamps, limitBytes, follow, previous);
    }

    public LogOptions withSince(Instant t) {
        return new LogOptions(stream, tailLines, t, timestamps, limitBytes, follow, previous);
    }

    public LogOptions withTimestamps(boolean t) {
        return new LogOptions(stream, tailLines, since, t, limitBytes, follow, previous);
    }

    public LogOptions withLimitBytes(long n) {
        return new LogOptions(stream, tailLines, since, timestamps, n, follow, previous);
    }

    public LogOptions withFollow(boolean f) {
        return new LogOptions(stream, tailLines, since, timestamps, limitBytes, f, previous);
    }

    public LogOptions withPrevious(boolean p) {
        return new LogOptions(stream, tailLines, since, timestamps, limitBytes, follow, p);
    }

    /**
     * Parses the containerLogs query parameters ({@code tailLines, limitBytes, sinceSeconds, sinceTime,
     * timestamps, follow, previous, stream}); {@code param} gives a parameter's first value or null.
     * Booleans follow the API's query conversion (absent, {@code 0} or {@code false} = false, any other
     * value = true); {@code sinceSeconds} counts back from {@code now}.
     *
     * @throws IllegalArgumentException with the API's validation wording (for a 400 Status)
     */
    public static LogOptions fromQuery(Function<String, String> param, Instant now) {
        long tail = number(param, "tailLines", -1);
        if (tail < -1 || (tail == -1 && param.apply("tailLines") != null)) {
            throw new IllegalArgumentException("tailLines: Invalid value: " + tail
                    + ": must be greater than or equal to 0");
        }
        long limit = number(param, "limitBytes", -1);
        if (param.apply("limitBytes") != null && limit < 1) {
            throw new IllegalArgumentException("limitBytes: Invalid value: " + limit + ": must be greater than 0");
        }
        long sinceSeconds = number(param, "sinceSeconds", -1);
        if (param.apply("sinceSeconds") != null && sinceSeconds < 1) {
            throw new IllegalArgumentException("sinceSeconds: Invalid value: " + sinceSeconds
                    + ": must be greater than 0");
        }
        String sinceTime = param.apply("sinceTime");
        if (sinceTime != null && sinceSeconds != -1) {
            throw new IllegalArgumentException("at most one of `sinceTime` or `sinceSeconds` may be specified");
        }
        Instant since = null;
        if (sinceSeconds != -1) {
            since = now.minusSeconds(sinceSeconds);
        } else if (sinceTime != null) {
            try {
                since = OffsetDateTime.parse(sinceTime).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("sinceTime: Invalid value: \"" + sinceTime
                        + "\": must be an RFC 3339 time", e);
            }
        }
        LogStream stream = LogStream.parse(param.apply("stream"));
        if (stream != LogStream.ALL && tail != -1) {
            throw new IllegalArgumentException("`tailLines` and specific `stream` are mutually exclusive for now");
        }
        return new LogOptions(stream, tail, since, bool(param, "timestamps"), limit, bool(param, "follow"),
                bool(param, "previous"));
    }

    private static long number(Function<String, String> param, String name, long absent) {
        String v = param.apply(name);
        if (v == null) {
            return absent;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": Invalid value: \"" + v + "\": must be an integer", e);
        }
    }

    private static boolean bool(Function<String, String> param, String name) {
        String v = param.apply(name);
        return v != null && !v.equals("0") && !v.equalsIgnoreCase("false");
    }
}
