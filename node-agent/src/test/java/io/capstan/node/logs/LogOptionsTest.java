package io.capstan.node.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogOptionsTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

    private static LogOptions parse(Map<String, String> q) {
        return LogOptions.fromQuery(q::get, NOW);
    }

    @Test
    void parsesTheKubeletQuery() {
        LogOptions o = parse(Map.of("tailLines", "2", "follow", "true", "timestamps", "1", "previous", "false",
                "limitBytes", "100", "sinceSeconds", "60"));
        assertEquals(new LogOptions(LogStream.ALL, 2, NOW.minusSeconds(60), true, 100, true, false), o);
        assertEquals(LogOptions.ALL, parse(Map.of()));
        assertEquals(Instant.parse("2026-04-30T08:00:00Z"),
                parse(Map.of("sinceTime", "2026-04-30T10:00:00+02:00")).since());
        assertEquals(LogStream.STDERR, parse(Map.of("stream", "Stderr")).stream());
        assertTrue(parse(Map.of("follow", "")).follow());
        assertFalse(parse(Map.of("follow", "0")).follow());
    }

    @Test
    void rejectsWhatTheApiRejects() {
        assertMessage("tailLines: Invalid value: -1: must be greater than or equal to 0", Map.of("tailLines", "-1"));
        assertMessage("limitBytes: Invalid value: 0: must be greater than 0", Map.of("limitBytes", "0"));
        assertMessage("sinceSeconds: Invalid value: 0: must be greater than 0", Map.of("sinceSeconds", "0"));
        assertMessage("at most one of `sinceTime` or `sinceSeconds` may be specified",
                Map.of("sinceSeconds", "5", "sinceTime", "2026-04-30T10:00:00Z"));
        assertMessage("`tailLines` and specific `stream` are mutually exclusive for now",
                Map.of("tailLines", "5", "stream", "Stdout"));
        assertMessage("tailLines: Invalid value: \"x\": must be an integer", Map.of("tailLines", "x"));
        assertMessage("stream: Unsupported value: \"both\": supported values: \"All\", \"Stderr\", \"Stdout\"",
                Map.of("stream", "both"));
    }

    private static void assertMessage(String message, Map<String, String> q) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> parse(q)).getMessage());
    }
}
