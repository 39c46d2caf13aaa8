package io.capstan.node.logs;

/**
 * Which of a container's output streams to read, as {@code PodLogOptions.stream}: {@code All}
 * (the default: both, interleaved as written), {@code Stdout} or {@code Stderr}.
 */
public enum LogStream {
    ALL("All"), STDOUT("Stdout"), STDERR("Stderr");

    private final String wire;

    LogStream(String wire) {
        this.wire = wire;
    }

    /** The API spelling: {@code All}, {@code Stdout}, {@code Stderr}. */
    public String wireName() {
        return wire;
    }

    /** Whether a record of the CRI stream {@code name} ({@code stdout}/{@code stderr}) is selected. */
    public boolean accepts(String name) {
        return switch (this) {
            case ALL -> true;
            case STDOUT -> "stdout".equals(name);
            case STDERR -> "stderr".equals(name);
        };
    }

    /**
     * Parses the API spelling (also accepted in lower case); {@code null} or empty is {@link #ALL}.
     *
     * @throws IllegalArgumentException with the API's validation wording for any other value
     */
    public static LogStream parse(String value) {
        if (value == null || value.isEmpty()) {
            return ALL;
        }
        for (LogStream s : values()) {
            if (s.wire.equalsIgnoreCase(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("stream: Unsupported value: \"" + value
                + "\": supported values: \"All\", \"Stderr\", \"Stdout\"");
    }
}
