package io.capstan.node.agent.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An httpGet probe as kubelet makes it: GET {@code scheme://host:port/path} (host default: the pod's
 * IP; scheme HTTP or HTTPS, the latter without verifying the certificate), with the probe's
 * httpHeaders, a {@code User-Agent: kube-probe/1.32} and {@code Accept: *}{@code /*} unless the
 * probe sets them (an empty Accept removes it), all within timeoutSeconds. A status from 200 to 399
 * is success. Redirects (301, 302, 303, 307, 308) are followed up to 10 times while they stay on the
 * same host; a redirect to another host is not followed and counts as success with a warning.
 */
final class HttpProbe {
    static final String USER_AGENT = "kube-probe/1.32";
    static final int MAX_REDIRECTS = 10;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    Outcome probe(HTTPGetAction action, Container c, String podIp, Duration timeout) {
        String scheme = action.getScheme() == null || action.getScheme().isEmpty() ? "http"
                : action.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("unsupported scheme " + action.getScheme());
        }
        String host = action.getHost() != null && !action.getHost().isEmpty() ? action.getHost() : podIp;
        int port = Ports.resolve(action.getPort(), c);
        if (host == null || host.isEmpty()) {
            return Outcome.error("the pod has no IP address to probe");
        }
        String path = action.getPath() == null || action.getPath().isEmpty() ? "/" : action.getPath();
        URI uri = uri(scheme + "://" + Ports.hostPort(host, port) + (path.startsWith("/") ? "" : "/") + path);
        List<HttpExchange.Header> headers = headers(action.getHttpHeaders());
        long deadline = System.nanoTime() + timeout.toNanos();
        String firstHost = uri.getHost();
        try {
            HttpExchange.Response r = HttpExchange.get(uri, withHost(headers, uri), deadline);
            for (int redirects = 0; REDIRECTS.contains(r.code()) && r.location() != null; redirects++) {
                URI next = uri.resolve(r.location());
                if (next.getHost() == null || !next.getHost().equalsIgnoreCase(firstHost)) {
                    break; // another host: not followed
                }
                if (redirects + 1 >= MAX_REDIRECTS) {
                    return Outcome.failure("Get \"" + next + "\": stopped after " + MAX_REDIRECTS + " redirects");
                }
                boolean relative = !URI.create(r.location().replace(" ", "%20")).isAbsolute();
                uri = next;
                r = HttpExchange.get(uri, relative ? withHost(headers, uri) : withoutHostOverride(headers, uri),
                        deadline);
            }
            if (r.code() >= 200 && r.code() < 400) {
                return r.code() >= 300 ? Outcome.warning("Probe terminated redirects, Response body: " + r.body())
                        : Outcome.success(r.body());
            }
            return Outcome.failure("HTTP probe failed with statuscode: " + r.code());
        } catch (SocketTimeoutException e) {
            return Outcome.failure("Get \"" + uri + "\": context deadline exceeded"
                    + " (Client.Timeout exceeded while awaiting headers)");
        } catch (java.net.ConnectException e) {
            String why = e.getMessage() == null ? "connection refused"
                    : e.getMessage().replaceAll(" \\(.*\\)$", "").toLowerCase(Locale.ROOT);
            int at = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
            return Outcome.failure("Get \"" + uri + "\": dial tcp "
                    + Ports.hostPort(uri.getHost().replaceAll("^\\[|\\]$", ""), at) + ": connect: " + why);
        } catch (IOException | IllegalArgumentException e) {
            return Outcome.failure("Get \"" + uri + "\": " + e.getMessage());
        }
    }

    private static URI uri(String s) {
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid probe URL " + s + ": " + e.getReason());
        }
    }

    /** The probe's headers, then User-Agent and Accept unless it set them; an empty Accept is dropped. */
    static List<HttpExchange.Header> headers(List<HTTPHeader> given) {
        List<HttpExchange.Header> out = new ArrayList<>();
        boolean agent = false;
        boolean accept = false;
        for (HTTPHeader h : given == null ? List.<HTTPHeader>of() : given) {
            if (h.getName() == null || h.getName().isEmpty()) {
                continue;
            }
            String value = h.getValue() == null ? "" : h.getValue();
            agent |= h.getName().equalsIgnoreCase("User-Agent");
            if (h.getName().equalsIgnoreCase("Accept")) {
                accept = true;
                if (value.isEmpty()) {
                    continue;
                }
            }
            out.add(new HttpExchange.Header(h.getName(), value));
        }
        if (!agent) {
            out.add(new HttpExchange.Header("User-Agent", USER_AGENT));
        }
        if (!accept) {
            out.add(new HttpExchange.Header("Accept", "*/*"));
        }
        return out;
    }

    /** The headers with a Host first: the probe's own Host header if it has one, else the URL's. */
    private static List<HttpExchange.Header> withHost(List<HttpExchange.Header> headers, URI uri) {
        List<HttpExchange.Header> out = new ArrayList<>();
        headers.stream().filter(h -> h.name().equalsIgnoreCase("Host")).findFirst().ifPresentOrElse(out::add,
                () -> out.add(new HttpExchange.Header("Host", uri.getRawAuthority())));
        headers.stream().filter(h -> !h.name().equalsIgnoreCase("Host")).forEach(out::add);
        return out;
    }

    /** After an absolute redirect, Host is the new URL's (as Go's client does). */
    private static List<HttpExchange.Header> withoutHostOverride(List<HttpExchange.Header> headers, URI uri) {
        return withHost(headers.stream().filter(h -> !h.name().equalsIgnoreCase("Host")).toList(), uri);
    }
}
