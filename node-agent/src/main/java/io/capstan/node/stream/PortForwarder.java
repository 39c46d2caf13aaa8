package io.capstan.node.stream;

import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.PodConnection;
import io.capstan.node.cri.RuntimeFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Port forwarding over a SPDY connection ({@code portforward.k8s.io}): per forwarded connection the
 * client opens an error stream and a data stream with the same {@code requestID} and {@code port}
 * headers. A complete pair is connected to the pod with {@link ContainerRuntime#portForward} and
 * relayed both ways until the pod's side ends or the client resets the data stream; the error
 * stream then ends, carrying the error text when the connection failed. Streams without a valid
 * {@code port} or {@code streamType} are refused, as kubelet does; a pair whose second stream does
 * not come within the creation timeout gets "timed out waiting for streams".
 */
final class PortForwarder {
    private static final ScheduledExecutorService TIMER =
            Executors.newSingleThreadScheduledExecutor(Threads.factory("stream-portforward-timer"));
    private final ContainerRuntime runtime;
    private final String podUid;
    private final String podName;
    private final Duration creationTimeout;
    private final Map<String, Pair> pairs = new ConcurrentHashMap<>();
    private final Set<PodConnection> open = ConcurrentHashMap.newKeySet();

    PortForwarder(ContainerRuntime runtime, String podUid, String podName, Duration creationTimeout) {
        this.runtime = runtime;
        this.podUid = podUid;
        this.podName = podName;
        this.creationTimeout = creationTimeout;
    }

    /** One forwarded connection's two streams. */
    private static final class Pair {
        final String requestId;
        SpdyStream error;
        SpdyStream data;

        Pair(String requestId) {
            this.requestId = requestId;
        }
    }

    /** Validates a stream (kubelet's rules) and pairs it; runs on the connection's reader thread. */
    boolean accept(SpdyStream s) {
        if (validPort(s.header("port")) < 0) {
            return false;
        }
        String type = s.header("streamtype");
        if (!"error".equals(type) && !"data".equals(type)) {
            return false;
        }
        String requestId = s.header("requestid");
        if (requestId == null || requestId.isEmpty()) { // old clients: consecutive odd ids per pair
            requestId = Integer.toString(type.equals("error") ? s.id() : s.id() - 2);
        }
        Pair pair;
        boolean created = false;
        synchronized (pairs) {
            pair = pairs.get(requestId);
            if (pair == null) {
                pair = new Pair(requestId);
                pairs.put(requestId, pair);
                created = true;
            }
            if (type.equals("error") ? pair.error != null : pair.data != null) {
                return false;
            }
            if (type.equals("error")) {
                pair.error = s;
            } else {
                pair.data = s;
            }
            if (pair.error == null || pair.data == null) {
                pair = created ? pair : null;
            } else {
                pairs.remove(requestId);
                Pair complete = pair;
                Threads.start("stream-portforward-" + requestId, () -> relay(complete));
                return true;
            }
        }
        if (pair != null) {
            Pair waiting = pair;
            TIMER.schedule(() -> timeout(waiting), creationTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        return true;
    }

    private void timeout(Pair pair) {
        synchronized (pairs) {
            if (pairs.get(pair.requestId) != pair) {
                return;
            }
            pairs.remove(pair.requestId);
        }
        if (pair.error != null) {
            writeError(pair.error, "timed out waiting for streams of request " + pair.requestId);
        }
        if (pair.data != null) {
            pair.data.reset();
        }
    }

    private void relay(Pair pair) {
        int port = validPort(pair.data.header("port"));
        PodConnection conn;
        try {
            conn = runtime.portForward(podUid, port);
        } catch (RuntimeFailure | RuntimeException e) {
            Streams.closeQuietly(pair.data.output());
            writeError(pair.error, "error forwarding port " + port + " to pod " + podName + ", uid " + podUid
                    + ": " + e.getMessage());
            return;
        }
        open.add(conn);
        try {
            pair.data.onReset(conn::close);
            Threads.start("stream-portforward-in-" + pair.requestId, () -> {
                Streams.copy(pair.data.input(), conn.output());
                Streams.closeQuietly(conn.output()); // half-close towards the pod
            });
            Streams.copy(conn.input(), pair.data.output());
            Streams.closeQuietly(pair.data.output());
        } finally {
            conn.close();
            open.remove(conn);
            Streams.closeQuietly(pair.error.output());
            pair.error.forget();
            pair.data.forget();
        }
    }

    private static void writeError(SpdyStream error, String message) {
        try {
            error.output().write(message.getBytes(StandardCharsets.UTF_8));
            error.output().close();
        } catch (IOException ignored) {
            // the client is gone
        }
    }

    /** Closes every pod connection (the client's connection ended). */
    void closeAll() {
        open.forEach(PodConnection::close);
        open.clear();
    }

    /** A port header as kubelet checks it: required, 1..65535; -1 when invalid. */
    static int validPort(String value) {
        if (value == null || value.isEmpty()) {
            return -1;
        }
        try {
            int port = Integer.parseInt(value);
            return port >= 1 && port <= 65535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
