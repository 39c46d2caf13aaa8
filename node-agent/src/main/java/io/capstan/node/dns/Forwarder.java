package io.capstan.node.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Forwards a query to the upstream resolvers in order, each with a timeout: over UDP first, over
 * TCP when the UDP answer comes back truncated. The first answer that matches the query's id and
 * question is returned; when no upstream answers, the caller replies SERVFAIL.
 */
final class Forwarder {
    private static final Logger LOG = Logger.getLogger(Forwarder.class);

    private final List<InetSocketAddress> upstreams;
    private final int timeoutMillis;

    Forwarder(List<InetSocketAddress> upstreams, Duration timeout) {
        this.upstreams = List.copyOf(upstreams);
        this.timeoutMillis = (int) Math.max(1, timeout.toMillis());
    }

    /**
     * The upstream's answer (wire bytes, passed through untouched: records of types this codec does
     * not know may hold compressed names) to {@code query}, sent as {@code wire}; empty when none answered.
     */
    Optional<byte[]> forward(byte[] wire, DnsMessage query) {
        for (InetSocketAddress upstream : upstreams) {
            try {
                byte[] answer = udp(upstream, wire, query);
                if ((answer[2] & 0x02) != 0) {
                    answer = tcp(upstream, wire, query);
                }
                return Optional.of(answer);
            } catch (IOException | DnsFormatException e) {
                LOG.debugf("upstream %s did not answer %s: %s", upstream, query.questions(), e.toString());
            }
        }
        return Optional.empty();
    }

    private byte[] udp(InetSocketAddress upstream, byte[] wire, DnsMessage query) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(timeoutMillis);
            socket.connect(upstream);
            socket.send(new DatagramPacket(wire, wire.length));
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            byte[] buf = new byte[65535];
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                if (matches(buf, p.getLength(), query)) {
                    return Arrays.copyOf(buf, p.getLength());
                }
                int left = (int) ((deadline - System.nanoTime()) / 1_000_000L);
                if (left <= 0) {
                    throw new SocketTimeoutException("no matching answer");
                }
                socket.setSoTimeout(left);
            }
        }
    }

    private byte[] tcp(InetSocketAddress upstream, byte[] wire, DnsMessage query) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(upstream, timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(wire.length);
            out.write(wire);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] buf = new byte[in.readUnsignedShort()];
            in.readFully(buf);
            if (!matches(buf, buf.length, query)) {
                throw new IOException("answer does not match the query");
            }
            return buf;
        }
    }

    /** Whether {@code buf} is a response with the query's id and question name. */
    static boolean matches(byte[] buf, int length, DnsMessage query) {
        WireReader r = new WireReader(buf, length);
        int id = r.u16();
        int flags = r.u16();
        int qd = r.u16();
        r.bytes(6);
        if ((flags & DnsMessage.QR) == 0 || id != query.id() || qd != query.questions().size()) {
            return false;
        }
        return qd == 0 || DnsRecord.canonical(r.name()).equals(DnsRecord.canonical(query.questions().get(0).name()));
    }
}
