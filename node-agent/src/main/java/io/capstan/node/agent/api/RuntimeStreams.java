package io.capstan.node.agent.api;

import io.capstan.node.stream.StreamRequest;
import io.capstan.node.stream.StreamServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link PodStreams} served by {@link StreamServer} over the container runtime: exec by container
 * id, attach with the container's output followed from its log, port-forward by pod uid.
 */
final class RuntimeStreams implements PodStreams {
    private final StreamServer server;
    private final ContainerLogs logs;

    RuntimeStreams(StreamServer server, ContainerLogs logs) {
        this.server = server;
        this.logs = logs;
    }

    @Override
    public void exec(RequestHead head, Target target, List<String> command, InputStream in, OutputStream out)
            throws IOException {
        server.exec(request(head), target.containerId(), in, out);
    }

    @Override
    public void attach(RequestHead head, Target target, InputStream in, OutputStream out) throws IOException {
        io.capstan.node.stream.OutputSource output;
        try {
            output = logs.follow(target);
        } catch (ApiError e) {
            Replies.status(out, e);
            return;
        }
        server.attach(request(head), target.containerId(), output, in, out);
    }

    @Override
    public void portForward(RequestHead head, Target target, InputStream in, OutputStream out) throws IOException {
        server.portForward(request(head), target.podUid(), in, out);
    }

    static StreamRequest request(RequestHead head) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        head.headers().forEach((k, v) -> headers.put(k, List.of(v)));
        return new StreamRequest(head.method(), head.path(), head.query(), headers);
    }
}
