package io.capstan.node.shim;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How to open a TCP connection inside a pod with {@code capstan-shim connect}: the shim joins the
 * network namespace {@code netns} (e.g. {@code /proc/<holder>/ns/net} or a CNI netns file) and
 * connects to {@code 127.0.0.1:port}, then {@code [::1]:port}.
 *
 * @param netns the network namespace file
 * @param port the TCP port, 1-65535
 */
public record ConnectLaunch(Path netns, int port) {
    public ConnectLaunch {
        Objects.requireNonNull(netns, "netns");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not in 1-65535");
        }
    }

    List<String> arguments() {
        return List.of("connect", "--netns", netns.toString(), "--port", Integer.toString(port));
    }
}
