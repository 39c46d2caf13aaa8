package io.capstan.node.dns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The three parts of a resolv.conf that matter to Kubernetes: nameservers, search domains and
 * options. {@link #parse} reads a file as kubelet does ({@code nameserver} lines accumulate, the
 * last {@code search} line wins, trailing dots of search domains are dropped, {@code options}
 * accumulate; comments and other keywords are ignored); {@link #render} writes one.
 */
public record ResolvConf(List<String> nameservers, List<String> searches, List<String> options) {
    public ResolvConf {
        nameservers = List.copyOf(nameservers);
        searches = List.copyOf(searches);
        options = List.copyOf(options);
    }

    public static final ResolvConf EMPTY = new ResolvConf(List.of(), List.of(), List.of());

    /** Parses the text of a resolv.conf. */
    public static ResolvConf parse(String text) {
        List<String> nameservers = new ArrayList<>();
        List<String> searches = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw;
            int hash = line.indexOf('#');
            int semi = line.indexOf(';');
            int cut = hash < 0 ? semi : (semi < 0 ? hash : Math.min(hash, semi));
            if (cut >= 0) {
                line = line.substring(0, cut);
            }
            String[] f = line.trim().split("\\s+");
            if (f.length < 2) {
                continue;
            }
            switch (f[0]) {
                case "nameserver" -> nameservers.add(f[1]);
                case "search" -> {
                    searches.clear();
                    for (int i = 1; i < f.length; i++) {
                        String s = f[i].endsWith(".") ? f[i].substring(0, f[i].length() - 1) : f[i];
                        if (!s.isEmpty()) {
                            searches.add(s);
                        }
                    }
                }
                case "options" -> {
                    for (int i = 1; i < f.length; i++) {
                        options.add(f[i]);
                    }
                }
                default -> { }
            }
        }
        return new ResolvConf(nameservers, searches, options);
    }

    /** Reads {@code file}; a missing file is an empty configuration. */
    public static ResolvConf read(Path file) throws IOException {
        try {
            return parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            return EMPTY;
        }
    }

    /**
     * The node's resolver configuration as kubeadm points kubelet at it: {@code /etc/resolv.conf},
     * unless its only nameserver is systemd-resolved's loopback stub (127.0.0.53, unreachable from a
     * pod's network namespace and a forwarding loop risk) and {@code /run/systemd/resolve/resolv.conf}
     * (the real upstreams) exists.
     */
    public static ResolvConf host() throws IOException {
        return host(Path.of("/etc/resolv.conf"), Path.of("/run/systemd/resolve/resolv.conf"));
    }

    static ResolvConf host(Path etc, Path systemd) throws IOException {
        ResolvConf conf = read(etc);
        boolean stubOnly = !conf.nameservers().isEmpty()
                && conf.nameservers().stream().allMatch(n -> n.equals("127.0.0.53"));
        return stubOnly && Files.exists(systemd) ? read(systemd) : conf;
    }

    /** The file text: nameserver lines, then search, then options (the layout of Kubernetes' examples). */
    public String render() {
        StringBuilder sb = new StringBuilder();
        nameservers.forEach(n -> sb.append("nameserver ").append(n).append('\n'));
        if (!searches.isEmpty()) {
            sb.append("search ").append(String.join(" ", searches)).append('\n');
        }
        if (!options.isEmpty()) {
            sb.append("options ").append(String.join(" ", options)).append('\n');
        }
        return sb.toString();
    }
}
