package io.capstan.node.agent.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The head of one HTTP/1.1 request: method, path (percent-decoded segments), query parameters and
 * headers (names in lower case). {@link #read} parses it off a connection with fixed limits — a
 * request line or header line of at most {@value #MAX_LINE} bytes, at most {@value #MAX_HEADERS}
 * headers — and reads nothing past the blank line, so the rest of the connection (a body, or the
 * bytes of an upgraded protocol) is left for the handler.
 *
 * @param method the request method, e.g. {@code GET}
 * @param path the raw path, without the query
 * @param rawQuery the raw query (without {@code ?}), or empty
 * @param query the decoded query parameters, each with all its values in order
 * @param headers the header values by lower-case name, several values joined by {@code ", "}
 */
public record RequestHead(String method, String path, String rawQuery, Map<String, List<String>> query,
        Map<String, String> headers) {
    static final int MAX_LINE = 16 * 1024;
    static final int MAX_HEADERS = 100;

    /** The first value of query parameter {@code name}, or {@code null}. */
    public String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Every value of query parameter {@code name}, in order. */
    public List<String> params(String name) {
        return query.getOrDefault(name, List.of());
    }

    /** Whether query parameter {@code name} is true ({@code true}, {@code True}, {@code 1} as Go's ParseBool). */
    public boolean flag(String name) {
        String v = param(name);
        return v != null && (v.equalsIgnoreCase("true") || v.equals("1") || v.equals("t") || v.equals("T"));
    }

    /** Header {@code name} (any case), or {@code null}. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Whether the request asks to switch protocols ({@code Connection: Upgrade} with an {@code Upgrade}). */
    public boolean isUpgrade() {
        String c = header("connection");
        return header("upgrade") != null && c != null && c.toLowerCase(Locale.ROOT).contains("upgrade");
    }

    /** The path's segments after the leading slash, percent-decoded. */
    List<String> segments() throws ApiError {
        List<String> out = new ArrayList<>();
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.isEmpty()) {
            return out;
        }
        for (String s : p.split("/", -1)) {
            out.add(decode(s, false));
        }
        return out;
    }

    /**
     * Reads one request head from {@code in}. Returns {@code null} when the connection ends before
     * any byte; throws {@link ApiError} (400) for anything malformed or over the limits.
     */
    static RequestHead read(InputStream in) throws IOException, ApiError {
        String line = line(in, true);
        if (line == null) {
            return null;
        }
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || !parts[2].startsWith("HTTP/1.")
                || !parts[1].startsWith("/")) {
            throw ApiError.badRequest("malformed request line");
        }
        for (char c : parts[0].toCharArray()) {
            if (c < 'A' || c > 'Z') {
                throw ApiError.badRequest("malformed request method");
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        int count = 0;
        for (String h = line(in, false); !h.isEmpty(); h = line(in, false)) {
            if (++count > MAX_HEADERS) {
                throw ApiError.badRequest("too many request headers");
            }
            int colon = h.indexOf(':');
            if (colon <= 0 || h.charAt(0) == ' ' || h.charAt(0) == '\t') {
                throw ApiError.badRequest("malformed request header");
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        String target = parts[1];
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String rawQuery = q < 0 ? "" : target.substring(q + 1);
        return new RequestHead(parts[0], path, rawQuery, parseQuery(rawQuery), headers);
    }

    static Map<String, List<String>> parseQuery(String raw) throws ApiError {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static String decode(String s, boolean plusIsSpace) throws ApiError {
        try {
            return URLDecoder.decode(plusIsSpace ? s : s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("malformed percent-encoding in the request");
        }
    }

    /** One CRLF- (or LF-) terminated line as ISO-8859-1; {@code null} at EOF before a byte if {@code first}. */
    private static String line(InputStream in, boolean first) throws IOException, ApiError {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (first && b.isEmpty()) {
                    return null;
                }
                throw ApiError.badRequest("the request head ended early");
            }
            if (c == '\n') {
                int n = b.length();
                return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
            }
            if (b.length() >= MAX_LINE) {
                throw ApiError.badRequest("request line or header too long");
            }
            b.append((char) c);
        }
    }
}
