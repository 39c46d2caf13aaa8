/**
 * The streaming protocols the node agent's HTTP API speaks for {@code kubectl exec}, {@code attach}
 * and {@code port-forward}, as a library with no dependency on the HTTP server that accepts the
 * connections. {@link io.capstan.node.stream.StreamServer} takes a raw connection whose HTTP/1.1
 * request head was already read ({@link io.capstan.node.stream.StreamRequest}), negotiates the
 * protocol, writes the {@code 101 Switching Protocols} answer (or a {@code 400} Status) and then
 * serves the session against the {@link io.capstan.node.cri.ContainerRuntime} until either side
 * ends.
 *
 * <p>Protocols: WebSocket (RFC 6455) with the channel sub-protocols {@code v5.channel.k8s.io} and
 * {@code v4.channel.k8s.io} (first payload byte = stream id) for exec and attach; SPDY/3.1 with
 * {@code X-Stream-Protocol-Version} {@code v4.channel.k8s.io} and older for exec and attach, and
 * {@code portforward.k8s.io} for port forwarding; and SPDY/3.1 tunnelled in WebSocket binary
 * messages ({@code SPDY/3.1+portforward.k8s.io}) for port forwarding. See
 * docs/streaming-protocols.md.
 */
package io.capstan.node.stream;
