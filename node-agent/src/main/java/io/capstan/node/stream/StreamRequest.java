package io.capstan.node.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 request head that the agent API has read and authenticated.
 *
 * @param method the request method ({@code GET} for WebSocket, {@code POST} for SPDY)
 * @param path the request path without the query, e.g. {@code /exec/ns/pod/container}
 * @param query the decoded query parameters, in order, repeated names (e.g. {@code command})
 *     keeping every value
 * @param headers the request headers; names lower-case, one entry per header line
 */
public record StreamRequest(
        String method, String path, Map<String, List<String>> query, Map<String, List<String>> headers) {

    public StreamRequest {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    /** The first value of the header {@code name} (any case), or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * Every comma-separated token of every line of the header {@code name}, trimmed, in order
     * ({@code Sec-WebSocket-Protocol}, {@code X-Stream-Protocol-Version}, {@code Connection}).
     */
    public List<String> headerTokens(String name) {
        List<String> tokens = new ArrayList<>();
        for (String line : headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of())) {
            for (String token : line.split(",")) {
                if (!token.isBlank()) {
                    tokens.add(token.trim());
                }
            }
        }
        return tokens;
    }

    /** The first value of the query parameter {@code name}, or {@code null}. */
    public String query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every value of the query parameter {@code name}, in order. */
    public List<String> queryAll(String name) {
        return query.getOrDefault(name, List.of());
    }

    /**
     * Whether the boolean query parameter {@code name} is true, parsed as Go's
     * {@code strconv.ParseBool} (1, t, T, TRUE, true, True; anything else is false).
     */
    public boolean flag(String name) {
        String v = query(name);
        return v != null && switch (v) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            default -> false;
        };
    }
}
