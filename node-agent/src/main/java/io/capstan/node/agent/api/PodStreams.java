package io.capstan.node.agent.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The streaming endpoints behind the agent API's {@code /exec}, {@code /attach} and
 * {@code /portForward} once the request head has been read, authorized and resolved: each owns the
 * raw connection ({@code in}/{@code out}) and answers the upgrade itself (WebSocket channel
 * protocols or SPDY/3.1, in {@code io.capstan.node.stream}).
 */
public interface PodStreams {

    /** Runs {@code command} in the running container {@code target}. */
    void exec(RequestHead head, Target target, List<String> command, InputStream in, OutputStream out)
            throws IOException;

    /** Attaches to the running container {@code target}. */
    void attach(RequestHead head, Target target, InputStream in, OutputStream out) throws IOException;

    /** Forwards ports of the pod {@code target}. */
    void portForward(RequestHead head, Target target, InputStream in, OutputStream out) throws IOException;

    /** Streams that are not there yet: every request gets 503 with a Status saying so. */
    PodStreams UNAVAILABLE = new PodStreams() {
        @Override
        public void exec(RequestHead head, Target target, List<String> command, InputStream in, OutputStream out)
                throws IOException {
            unavailable(out);
        }

        @Override
        public void attach(RequestHead head, Target target, InputStream in, OutputStream out) throws IOException {
            unavailable(out);
        }

        @Override
        public void portForward(RequestHead head, Target target, InputStream in, OutputStream out)
                throws IOException {
            unavailable(out);
        }

        private void unavailable(OutputStream out) throws IOException {
            Replies.status(out, 503, "ServiceUnavailable", "streaming to containers is not available on this node");
        }
    };
}
