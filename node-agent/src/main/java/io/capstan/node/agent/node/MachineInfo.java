package io.capstan.node.agent.node;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Facts about this machine, read from /proc, /etc and the JVM: what the node reports as capacity,
 * nodeInfo and addresses. Files that cannot be read give empty strings or zero, never a failure.
 *
 * @param cpus the logical cpus
 * @param memoryBytes MemTotal of /proc/meminfo
 * @param memoryAvailableBytes MemAvailable of /proc/meminfo
 * @param storageBytes the size of the data dir's filesystem
 * @param storageAvailableBytes the space available on it
 * @param kernelVersion /proc/sys/kernel/osrelease
 * @param osImage PRETTY_NAME of /etc/os-release
 * @param machineId /etc/machine-id
 * @param bootId /proc/sys/kernel/random/boot_id
 * @param architecture as Go names it (amd64, arm64)
 * @param hostname the machine's hostname
 * @param internalIp the first non-loopback IPv4 address, or 127.0.0.1
 */
public record MachineInfo(
        int cpus,
        long memoryBytes,
        long memoryAvailableBytes,
        long storageBytes,
        long storageAvailableBytes,
        String kernelVersion,
        String osImage,
        String machineId,
        String bootId,
        String architecture,
        String hostname,
        String internalIp) {

    /** Reads the machine now; {@code dataDir} names the filesystem counted as ephemeral-storage. */
    public static MachineInfo read(Path dataDir) {
        List<String> meminfo = lines(Path.of("/proc/meminfo"));
        long storage = 0;
        long available = 0;
        try {
            Files.createDirectories(dataDir);
            var store = Files.getFileStore(dataDir);
            storage = store.getTotalSpace();
            available = store.getUsableSpace();
        } catch (IOException e) {
            // reported as zero
        }
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), meminfoBytes(meminfo, "MemTotal"),
                meminfoBytes(meminfo, "MemAvailable"), storage, available, first(Path.of("/proc/sys/kernel/osrelease")),
                osImage(lines(Path.of("/etc/os-release"))), first(Path.of("/etc/machine-id")),
                first(Path.of("/proc/sys/kernel/random/boot_id")), architecture(System.getProperty("os.arch", "")),
                readHostname(), firstIpv4());
    }

    /** A {@code /proc/meminfo} field in bytes (the file says kB), 0 when absent. */
    static long meminfoBytes(List<String> meminfo, String field) {
        for (String line : meminfo) {
            if (line.startsWith(field + ":")) {
                String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                try {
                    return Long.parseLong(parts[0]) * 1024;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /** PRETTY_NAME of an os-release file, unquoted; "Linux" when absent. */
    static String osImage(List<String> osRelease) {
        for (String line : osRelease) {
            if (line.startsWith("PRETTY_NAME=")) {
                String v = line.substring("PRETTY_NAME=".length()).trim();
                if (v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'"))) {
                    v = v.substring(1, v.length() - 1);
                }
                return v;
            }
        }
        return "Linux";
    }

    static String architecture(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> osArch;
        };
    }

    private static String readHostname() {
        String h = first(Path.of("/proc/sys/kernel/hostname"));
        if (!h.isEmpty()) {
            return h;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String firstIpv4() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "127.0.0.1";
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String first(Path p) {
        List<String> l = lines(p);
        return l.isEmpty() ? "" : l.get(0).trim();
    }
}
