package io.capstan.node.shim;

import java.time.Instant;

/**
 * How a container (or sandbox holder) ended, as the shim recorded it in the exit file:
 * {@code exit=N signal=S finished=<RFC 3339 UTC>} and, for a setup failure, a second line
 * {@code error=capstan-shim: <step>: <strerror> (errno N)}.
 *
 * @param exitCode the exit code; 128 + signal if it was killed; 125 if setup failed
 * @param signal the signal that killed it, 0 if it exited
 * @param finishedAt when the shim saw it end
 * @param error the setup error line, or {@code null}
 * @param lost true if the shim is gone without having written an exit file (then the code is 137
 *     and nothing else is known)
 */
public record ExitStatus(int exitCode, int signal, Instant finishedAt, String error, boolean lost) {

    /** Parses an exit file's content. */
    public static ExitStatus parse(String content) {
        int code = -1;
        int signal = 0;
        Instant finished = null;
        String error = null;
        for (String line : content.split("\n")) {
            if (line.startsWith("error=")) {
                error = line.substring("error=".length());
                continue;
            }
            for (String field : line.trim().split(" ")) {
                int eq = field.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String value = field.substring(eq + 1);
                switch (field.substring(0, eq)) {
                    case "exit" -> code = Integer.parseInt(value);
                    case "signal" -> signal = Integer.parseInt(value);
                    case "finished" -> finished = Instant.parse(value);
                    default -> { }
                }
            }
        }
        if (code < 0 || finished == null) {
            throw new IllegalArgumentException("not an exit file: " + content);
        }
        return new ExitStatus(code, signal, finished, error, false);
    }

    /** The status of a process whose shim died without recording one. */
    public static ExitStatus lost(Instant noticedAt) {
        return new ExitStatus(137, 0, noticedAt, null, true);
    }
}
