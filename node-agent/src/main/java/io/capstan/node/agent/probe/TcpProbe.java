package io.capstan.node.agent.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;

/**
 * A tcpSocket probe: success when a TCP connection to host (default: the pod's IP) and port opens
 * within timeoutSeconds; it is closed at once. A failure says why, as Go's dialer words it
 * ({@code dial tcp 10.244.0.5:80: connect: connection refused}).
 */
final class TcpProbe {
    Outcome probe(TCPSocketAction action, Container c, String podIp, Duration timeout) {
        String host = action.getHost() != null && !action.getHost().isEmpty() ? action.getHost() : podIp;
        int port = Ports.resolve(action.getPort(), c);
        if (host == null || host.isEmpty()) {
            return Outcome.error("the pod has no IP address to probe");
        }
        String address = Ports.hostPort(host, port);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return Outcome.success("");
        } catch (ConnectException e) {
            String why = e.getMessage() == null ? "connection refused"
                    : e.getMessage().replaceAll(" \\(.*\\)$", "").toLowerCase(Locale.ROOT);
            return Outcome.failure("dial tcp " + address + ": connect: " + why);
        } catch (SocketTimeoutException e) {
            return Outcome.failure("dial tcp " + address + ": i/o timeout");
        } catch (IOException e) {
            return Outcome.failure("dial tcp " + address + ": " + e.getMessage());
        }
    }
}
