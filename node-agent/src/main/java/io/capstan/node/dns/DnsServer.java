package io.capstan.node.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The sockets: one UDP socket and one TCP listener per address, on the same port (with port 0, a
 * free port chosen for the first address is used for all). Each UDP datagram and each TCP
 * connection (which may carry several length-prefixed queries, RFC 7766) is handled on a bounded
 * pool; when the pool is full the receiving thread answers itself, which slows intake instead of
 * queueing without bound. An idle TCP connection is closed after ten seconds.
 */
final class DnsServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DnsServer.class);
    private static final int TCP_IDLE_MILLIS = 10_000;

    private final DnsHandler handler;
    private final List<DatagramSocket> udp = new ArrayList<>();
    private final List<ServerSocket> tcp = new ArrayList<>();
    private final List<Thread> loops = new ArrayList<>();
    private final ThreadPoolExecutor pool;
    private volatile boolean closed;
    private int port;

    DnsServer(DnsHandler handler) {
        this.handler = handler;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(2, 64, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "capstan-dns-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /** Binds every address on {@code port} (0: a free one) and starts serving. */
    void start(List<InetAddress> addresses, int port) throws IOException {
        try {
            this.port = port;
            for (int attempt = 0; ; attempt++) {
                try {
                    bind(addresses);
                    break;
                } catch (BindException e) {
                    if (port != 0 || attempt >= 10) {
                        throw e;
                    }
                    closeSockets();
                    this.port = 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        for (DatagramSocket s : udp) {
            loop("capstan-dns-udp-" + s.getLocalPort(), () -> serveUdp(s));
        }
        for (ServerSocket s : tcp) {
            loop("capstan-dns-tcp-" + s.getLocalPort(), () -> serveTcp(s));
        }
    }

    private void bind(List<InetAddress> addresses) throws IOException {
        for (InetAddress a : addresses) {
            ServerSocket ss = new ServerSocket();
            tcp.add(ss);
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(a, port), 128);
            port = ss.getLocalPort();
            DatagramSocket ds = new DatagramSocket(null);
            udp.add(ds);
            ds.bind(new InetSocketAddress(a, port));
        }
    }

    /** The address every socket is bound to, in the order given. */
    List<InetSocketAddress> addresses() {
        return udp.stream().map(s -> (InetSocketAddress) s.getLocalSocketAddress()).toList();
    }

    private void loop(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        loops.add(t);
        t.start();
    }

    private void serveUdp(DatagramSocket socket) {
        while (!closed) {
            // Queries are small (a question and an OPT record); a longer datagram is cut and gets FORMERR.
            byte[] buf = new byte[4096];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (IOException e) {
                if (!closed) {
                    LOG.warnf("dns udp receive on %s failed: %s", socket.getLocalSocketAddress(), e.toString());
                }
                continue;
            }
            pool.execute(() -> {
                try {
                    byte[] out = handler.handle(buf, p.getLength(), false);
                    if (out != null) {
                        socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.debugf("dns udp answer to %s failed: %s", p.getSocketAddress(), e.toString());
                }
            });
        }
    }

    private void serveTcp(ServerSocket server) {
        while (!closed) {
            Socket conn;
            try {
                conn = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warnf("dns tcp accept on %s failed: %s", server.getLocalSocketAddress(), e.toString());
                }
                continue;
            }
            pool.execute(() -> serveConnection(conn));
        }
    }

    private void serveConnection(Socket conn) {
        try (conn) {
            conn.setSoTimeout(TCP_IDLE_MILLIS);
            DataInputStream in = new DataInputStream(conn.getInputStream());
            DataOutputStream out = new DataOutputStream(conn.getOutputStream());
            while (!closed) {
                int len;
                try {
                    len = in.readUnsignedShort();
                } catch (EOFException | SocketTimeoutException e) {
                    return;
                }
                byte[] buf = new byte[len];
                in.readFully(buf);
                byte[] answer = handler.handle(buf, len, true);
                if (answer == null) {
                    return;
                }
                out.writeShort(answer.length);
                out.write(answer);
                out.flush();
            }
        } catch (SocketException | EOFException e) {
            // the client went away
        } catch (IOException | RuntimeException e) {
            LOG.debugf("dns tcp connection from %s failed: %s", conn.getRemoteSocketAddress(), e.toString());
        }
    }

    private void closeSockets() {
        udp.forEach(DatagramSocket::close);
        tcp.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        });
        udp.clear();
        tcp.clear();
    }

    @Override
    public void close() {
        closed = true;
        closeSockets();
        pool.shutdownNow();
        for (Thread t : loops) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
