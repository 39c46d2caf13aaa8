package io.capstan.node.stream;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A loopback HTTP/1.1 server in front of a {@link StreamServer}, for tests and for trying the real
 * kubectl: a minimal request head parser, the agent routes ({@code /exec/ns/pod/container},
 * {@code /attach/...}, {@code /portForward/ns/pod}) and, so that kubectl can talk to it directly,
 * the API paths kubectl uses ({@code /version}, legacy discovery, {@code GET} of a pod that runs
 * one container {@code main}, and the pod's exec/attach/portforward subresources, which run in
 * container {@code c1}). Run {@link #main} to serve on a port and point a kubeconfig at it.
 */
final class StreamHarness implements AutoCloseable {
    private final ServerSocket socket;
    private final StreamServer server;
    volatile OutputSource attachOutput = sink -> {
        byte[] hello = "attached\n".getBytes(StandardCharsets.UTF_8);
        sink.write(1, hello, 0, hello.length);
        Thread.sleep(Long.MAX_VALUE);
    };

    StreamHarness(StreamServer server) throws IOException {
        this(server, 0);
    }

    StreamHarness(StreamServer server, int port) throws IOException {
        this.server = server;
        this.socket = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        Threads.start("test-harness-accept", this::acceptLoop);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Threads.start("test-harness-conn", () -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                StreamRequest req = readHead(in);
                if (req == null) {
                    s.close();
                    return;
                }
                String[] p = req.path().split("/");
                String path = req.path();
                if (path.startsWith("/exec/")) {
                    server.exec(req, p[4], in, out);
                    return;
                } else if (path.startsWith("/attach/")) {
                    server.attach(req, p[4], attachOutput, in, out);
                    return;
                } else if (path.startsWith("/portForward/")) {
                    server.portForward(req, "uid-" + p[3], in, out);
                    return;
                } else if (path.matches("/api/v1/namespaces/[^/]+/pods/[^/]+/(exec|attach|portforward)")) {
                    switch (p[7]) {
                        case "exec" -> server.exec(req, "c1", in, out);
                        case "attach" -> server.attach(req, "c1", attachOutput, in, out);
                        default -> server.portForward(req, "uid-" + p[6], in, out);
                    }
                    return;
                }
                answer(out, path, p);
            }
        } catch (IOException e) {
            Streams.closeQuietly(s);
        }
    }

    /** The JSON kubectl needs before it opens a stream. */
    private static void answer(OutputStream out, String path, String[] p) throws IOException {
        String body;
        int code = 200;
        if (path.equals("/version")) {
            body = "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.4\",\"platform\":\"linux/amd64\"}";
        } else if (path.equals("/api")) {
            body = "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[]}";
        } else if (path.equals("/apis")) {
            body = "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}";
        } else if (path.equals("/api/v1")) {
            body = "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":[{\"name\":\"pods\","
                    + "\"singularName\":\"pod\",\"namespaced\":true,\"kind\":\"Pod\",\"verbs\":[\"get\",\"list\"],"
                    + "\"shortNames\":[\"po\"]},{\"name\":\"pods/exec\",\"singularName\":\"\",\"namespaced\":true,"
                    + "\"kind\":\"PodExecOptions\",\"verbs\":[\"create\",\"get\"]}]}";
        } else if (path.matches("/api/v1/namespaces/[^/]+/pods/[^/]+")) {
            body = "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + p[6] + "\",\"namespace\":\""
                    + p[4] + "\",\"uid\":\"uid-" + p[6] + "\"},\"spec\":{\"containers\":[{\"name\":\"main\","
                    + "\"image\":\"busybox\",\"ports\":[{\"containerPort\":80}]}]},"
                    + "\"status\":{\"phase\":\"Running\"}}";
        } else {
            code = 404;
            body = StatusJson.error(404, "NotFound", "the server could not find the requested resource");
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + code + " X\r\nContent-Type: application/json\r\nContent-Length: " + b.length
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(b);
        out.flush();
    }

    /** Reads a request head (and skips a Content-Length body); {@code null} at end of stream. */
    static StreamRequest readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            if (c == '\n') {
                String l = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
                line.reset();
                if (l.isEmpty()) {
                    break;
                }
                lines.add(l);
            } else {
                line.write(c);
            }
        }
        String[] first = lines.get(0).split(" ");
        String target = first[1];
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (q >= 0) {
            for (String kv : target.substring(q + 1).split("&")) {
                int eq = kv.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                query.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String h : lines.subList(1, lines.size())) {
            int colon = h.indexOf(':');
            headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), x -> new ArrayList<>())
                    .add(h.substring(colon + 1).trim());
        }
        String length = headers.containsKey("content-length") ? headers.get("content-length").get(0) : null;
        if (length != null && !first[0].equals("GET")) {
            in.readNBytes(Integer.parseInt(length));
        }
        return new StreamRequest(first[0], path, query, headers);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Serves on {@code args[0]} (default 18090) until killed; for trying kubectl by hand. */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 18090;
        StreamHarness h = new StreamHarness(new StreamServer(new StreamRuntime()), port);
        System.out.println("serving on 127.0.0.1:" + h.port());
        Thread.sleep(Long.MAX_VALUE);
    }
}
