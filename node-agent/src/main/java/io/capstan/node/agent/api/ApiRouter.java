package io.capstan.node.agent.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import io.capstan.node.logs.LogOptions;
import java.util.List;
import java.util.Set;

/**
 * Routes one authorized request to its endpoint: {@code /healthz}, {@code /containerLogs},
 * {@code /exec}, {@code /attach}, {@code /portForward}, checking the method, the target and the
 * parameters first (kubelet's messages); anything else is 404.
 */
final class ApiRouter {
    private static final Set<String> STREAM_METHODS = Set.of("GET", "POST");
    private final Targets targets;
    private final ContainerLogs logs;
    private final PodStreams streams;

    ApiRouter(Targets targets, ContainerLogs logs, PodStreams streams) {
        this.targets = targets;
        this.logs = logs;
        this.streams = streams;
    }

    void route(RequestHead head, InputStream in, OutputStream out) throws IOException, ApiError, InterruptedException {
        List<String> s = head.segments();
        String first = s.isEmpty() ? "" : s.get(0);
        switch (first) {
            case "healthz" -> {
                if (s.size() != 1) {
                    throw notFound();
                }
                method(head, Set.of("GET", "HEAD"));
                Replies.body(out, 200, "text/plain; charset=utf-8", "ok".getBytes(StandardCharsets.UTF_8));
            }
            case "containerLogs" -> {
                path(s, 4);
                method(head, Set.of("GET"));
                containerLogs(head, targets.container(s.get(1), s.get(2), s.get(3)), out);
            }
            case "exec" -> {
                path(s, 4);
                method(head, STREAM_METHODS);
                List<String> command = head.params("command");
                if (command.isEmpty()) {
                    throw ApiError.badRequest("you must specify at least one command for the container");
                }
                standardStreams(head);
                streams.exec(head, running(targets.container(s.get(1), s.get(2), s.get(3))), command, in, out);
            }
            case "attach" -> {
                path(s, 4);
                method(head, STREAM_METHODS);
                standardStreams(head);
                streams.attach(head, running(targets.container(s.get(1), s.get(2), s.get(3))), in, out);
            }
            case "portForward" -> {
                path(s, 3);
                method(head, STREAM_METHODS);
                streams.portForward(head, targets.pod(s.get(1), s.get(2)), in, out);
            }
            default -> throw notFound();
        }
    }

    private void containerLogs(RequestHead head, Target t, OutputStream out) throws IOException, ApiError {
        LogOptions o;
        try {
            o = LogOptions.fromQuery(head::param, Instant.now());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        if (t.current() == null) {
            throw ApiError.badRequest("container \"" + t.container() + "\" in pod \"" + t.pod()
                    + "\" is waiting to start: " + t.waitingReason());
        }
        ContainerLogs.Body body = logs.open(t, o);
        try (OutputStream chunks = Replies.chunked(out, "text/plain")) {
            body.writeTo(chunks);
        }
    }

    private static Target running(Target t) throws ApiError {
        if (!t.running()) {
            throw ApiError.badRequest("container not found (\"" + t.container() + "\")");
        }
        return t;
    }

    private static void standardStreams(RequestHead head) throws ApiError {
        if (!head.flag("stdin") && !head.flag("stdout") && !head.flag("stderr")) {
            throw ApiError.badRequest("you must specify at least 1 of stdin, stdout, stderr");
        }
    }

    private static void path(List<String> s, int size) throws ApiError {
        if (s.size() != size || s.stream().anyMatch(String::isEmpty)) {
            throw notFound();
        }
    }

    private static void method(RequestHead head, Set<String> allowed) throws ApiError {
        if (!allowed.contains(head.method())) {
            throw new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        }
    }

    private static ApiError notFound() {
        return ApiError.notFound("the server could not find the requested resource");
    }
}
