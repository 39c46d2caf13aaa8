package io.capstan.node.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A small network made of namespaces this test creates: a "node" namespace with a bridge
 * {@code capstanbr0} holding the pods' gateway 10.244.7.1/24 and the node's own address
 * {@link #NODE_IP}, IP forwarding on and, as the agent has, an {@code unreachable} route for the
 * service CIDR (the proxy adds the ClusterIP routes over the bridge); and "pod" namespaces, each joined to
 * the bridge by a veth in hairpin mode, pod i holding 10.244.7.(10+i). Servers are busybox
 * {@code nc} processes in the pod namespaces; clients are busybox {@code nc} runs in any namespace.
 * {@link #close()} stops the servers it started and deletes the namespaces, which takes their
 * interfaces and nft tables with them. Nothing on the host is touched.
 */
final class NetLab implements AutoCloseable {
    static final String NODE_IP = "172.30.77.1";
    static final String GATEWAY = "10.244.7.1";
    static final String NODE_NAME = "node-a";

    final String node;
    final List<String> pods = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> servers = new ArrayList<>();

    private NetLab(String prefix) {
        this.node = prefix + "-node";
    }

    static NetLab create(int podCount) {
        String prefix = "capstan-t" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        NetLab lab = new NetLab(prefix);
        try {
            lab.addNamespace(lab.node);
            ip("-n", lab.node, "link", "set", "lo", "up");
            exec(lab.node, "sysctl", "-qw", "net.ipv4.ip_forward=1");
            ip("-n", lab.node, "link", "add", "capstanbr0", "type", "bridge");
            ip("-n", lab.node, "addr", "add", GATEWAY + "/24", "dev", "capstanbr0");
            ip("-n", lab.node, "link", "set", "capstanbr0", "up");
            ip("-n", lab.node, "addr", "add", NODE_IP + "/32", "dev", "capstanbr0");
            // As the agent's safety route: nothing reaches a service address the proxy did not route.
            ip("-n", lab.node, "route", "add", "unreachable", ProxyConfig.DEFAULT_SERVICE_CIDR);
            for (int i = 1; i <= podCount; i++) {
                String pod = prefix + "-p" + i;
                lab.addNamespace(pod);
                lab.pods.add(pod);
                String veth = "capstanv" + i;
                ip("-n", pod, "link", "set", "lo", "up");
                ip("-n", lab.node, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", pod);
                ip("-n", lab.node, "link", "set", veth, "master", "capstanbr0");
                ip("-n", lab.node, "link", "set", veth, "type", "bridge_slave", "hairpin", "on");
                ip("-n", lab.node, "link", "set", veth, "up");
                ip("-n", pod, "addr", "add", podIp(i) + "/24", "dev", "eth0");
                ip("-n", pod, "link", "set", "eth0", "up");
                ip("-n", pod, "route", "add", "default", "via", GATEWAY);
            }
            return lab;
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    /** The address of pod {@code i} (1-based). */
    static String podIp(int i) {
        return "10.244.7." + (10 + i);
    }

    Path nodeNetns() {
        return Path.of("/run/netns", node);
    }

    /** Starts a server in pod {@code i} answering every TCP connection on {@code port} with {@code answer}. */
    void serve(int i, int port, String answer) {
        try {
            Process p = new ProcessBuilder("ip", "netns", "exec", pods.get(i - 1), "busybox", "nc", "-ll", "-p",
                    Integer.toString(port), "-e", "echo", answer).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            servers.add(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One TCP connection from namespace {@code ns}: the answer read, or nc's error message. */
    String connect(String ns, String ip, int port) {
        return run("ip", "netns", "exec", ns, "busybox", "nc", "-w", "5", ip, Integer.toString(port)).strip();
    }

    /** {@code n} connections one after another from {@code ns}; one answer (or error) per connection. */
    List<String> connectMany(String ns, String ip, int port, int n) {
        String loop = "i=0; while [ $i -lt " + n + " ]; do busybox nc -w 5 " + ip + " " + port
                + " </dev/null 2>&1 || true; i=$((i+1)); done";
        String out = run("ip", "netns", "exec", ns, "sh", "-c", loop);
        return Arrays.stream(out.split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The proxy's configuration for this lab: node {@link #NODE_NAME}, its namespace, ClusterIP routes over the bridge. */
    ProxyConfig proxyConfig() {
        return ProxyConfig.defaults().withNetns(nodeNetns()).withServiceRouteDevice("capstanbr0").withNodeName(NODE_NAME);
    }

    /** {@code ip -4 route} in the node namespace. */
    String routes() {
        return run("ip", "-n", node, "-4", "route");
    }

    /** {@code nft list ruleset} in the node namespace. */
    String ruleset() {
        return run("ip", "netns", "exec", node, "nft", "list", "ruleset");
    }

    @Override
    public void close() {
        for (Process p : servers) {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            run("ip", "netns", "del", namespaces.get(i));
        }
    }

    private void addNamespace(String name) {
        ip("netns", "add", name);
        namespaces.add(name);
    }

    private static void ip(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "ip";
        System.arraycopy(args, 0, command, 1, args.length);
        check(command);
    }

    private static void exec(String ns, String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        command.addAll(List.of(args));
        check(command.toArray(String[]::new));
    }

    private static void check(String... command) {
        Result r = result(command);
        if (r.exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + r.output);
        }
    }

    private static String run(String... command) {
        return result(command).output;
    }

    private record Result(int exit, String output) {}

    private static Result result(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
