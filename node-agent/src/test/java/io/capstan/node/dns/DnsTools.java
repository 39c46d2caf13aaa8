package io.capstan.node.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.naming.NamingEnumeration;
import javax.naming.directory.Attribute;
import javax.naming.directory.InitialDirContext;

/**
 * Clients for the DNS ITs: {@code dig} run as a process, a one-shot query through this package's
 * codec (UDP or TCP), the JDK's JNDI DNS resolver, and a fake upstream server for the forwarding
 * tests, all on loopback.
 */
final class DnsTools {
    private DnsTools() {}

    /** {@code dig @server -p port args...} with a short timeout and one try; its standard output. */
    static String dig(InetSocketAddress server, String... args) {
        List<String> cmd = new ArrayList<>(List.of("dig", "@" + server.getAddress().getHostAddress(),
                "-p", String.valueOf(server.getPort()), "+time=2", "+tries=1"));
        cmd.addAll(Arrays.asList(args));
        Process p = null;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("dig did not finish: " + cmd);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (p != null) {
                p.destroyForcibly();
            }
        }
    }

    /** The non-empty lines of {@code dig +short}, sorted. */
    static Set<String> digShort(InetSocketAddress server, String... args) {
        String[] all = Arrays.copyOf(args, args.length + 1);
        all[args.length] = "+short";
        Set<String> out = new TreeSet<>();
        for (String line : dig(server, all).split("\n")) {
            if (!line.isBlank() && !line.startsWith(";;")) {
                out.add(line.trim());
            }
        }
        return out;
    }

    /** One query through the codec, over UDP (no EDNS, so answers above 512 bytes come truncated) or TCP. */
    static DnsMessage query(InetSocketAddress server, String name, int type, boolean tcp) throws IOException {
        DnsMessage q = DnsMessage.query(ThreadLocalRandom.current().nextInt(0x10000), name, type);
        byte[] wire = q.encode();
        if (tcp) {
            try (Socket s = new Socket()) {
                s.connect(server, 5000);
                s.setSoTimeout(5000);
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeShort(wire.length);
                out.write(wire);
                out.flush();
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] buf = new byte[in.readUnsignedShort()];
                in.readFully(buf);
                return DnsMessage.decode(buf);
            }
        }
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(5000);
            s.send(new DatagramPacket(wire, wire.length, server));
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            if (p.getLength() > 512) {
                throw new IllegalStateException("a UDP answer above 512 bytes to a query without EDNS");
            }
            return DnsMessage.decode(buf, p.getLength());
        }
    }

    /** The values of {@code type} records of {@code name} through the JDK's JNDI DNS provider. */
    static Set<String> jndi(InetSocketAddress server, String name, String type) throws Exception {
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("java.naming.provider.url", "dns://" + server.getAddress().getHostAddress() + ":" + server.getPort());
        env.put("com.sun.jndi.dns.timeout.initial", "2000");
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        InitialDirContext ctx = new InitialDirContext(env);
        try {
            Attribute attr = ctx.getAttributes(name, new String[] {type}).get(type);
            Set<String> out = new TreeSet<>();
            if (attr != null) {
                NamingEnumeration<?> values = attr.getAll();
                while (values.hasMore()) {
                    out.add(values.next().toString());
                }
            }
            return out;
        } finally {
            ctx.close();
        }
    }

    /**
     * A fake upstream resolver on 127.0.0.1 (UDP and TCP, a free port) serving zone example.test:
     * {@code www} = 192.0.2.7, {@code big} = 60 addresses (too many for a 512-byte UDP answer).
     */
    static DnsServer fakeUpstream() throws IOException {
        String zone = "example.test";
        List<DnsRecord> big = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            big.add(DnsRecord.of("big." + zone, 30, new DnsRecord.Address(new byte[] {(byte) 192, 0, 2, (byte) i})));
        }
        DnsRecord soa = DnsRecord.of(zone, 30, new DnsRecord.Soa("ns." + zone, "hostmaster." + zone, 1, 2, 3, 4, 30));
        Map<String, List<DnsRecord>> records = Map.of(
                "www." + zone, List.of(DnsRecord.of("www." + zone, 30, new DnsRecord.Address(new byte[] {(byte) 192, 0, 2, 7}))),
                "big." + zone, big, zone, List.of(soa));
        ZoneSnapshot snapshot = new ZoneSnapshot(zone, 30, records, Set.of(zone, "www." + zone, "big." + zone), soa);
        DnsServer server = new DnsServer(new DnsHandler(() -> snapshot, new Forwarder(List.of(), Duration.ofSeconds(1))));
        server.start(List.of(DnsConfig.literal("127.0.0.1")), 0);
        return server;
    }
}
