package io.capstan.node.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cgroup hierarchies of this host as the agent sees them, read from
 * {@code /proc/self/mountinfo} (where each hierarchy is mounted) and {@code /proc/self/cgroup}
 * (which cgroup the agent itself is in).
 *
 * <p>Three layouts exist: {@link Mode#LEGACY} (only v1 hierarchies), {@link Mode#HYBRID} (v1
 * hierarchies with the resource controllers plus a cgroup2 mount, usually
 * {@code /sys/fs/cgroup/unified}, that offers only the core files such as {@code cgroup.kill}) and
 * {@link Mode#UNIFIED} (a single cgroup2 hierarchy with every controller).
 *
 * @param v1 the mounted v1 hierarchies that have at least one controller (named ones like
 *     {@code name=systemd} included), in {@code /proc/self/cgroup} order
 * @param unified the cgroup2 hierarchy, if mounted
 */
public record CgroupHost(List<Hierarchy> v1, Optional<Hierarchy> unified) {

    /** How the host mounts its cgroups. */
    public enum Mode {
        LEGACY,
        HYBRID,
        UNIFIED
    }

    /**
     * One mounted hierarchy.
     *
     * @param controllers its controllers, e.g. {@code [cpu, cpuacct]}; empty for cgroup2
     * @param mountPoint where it is mounted
     * @param ownCgroup the directory of the agent's own cgroup in it
     */
    public record Hierarchy(Set<String> controllers, Path mountPoint, Path ownCgroup) {
        public Hierarchy {
            controllers = Set.copyOf(controllers);
        }

        /** Whether this hierarchy carries the named controller. */
        public boolean has(String controller) {
            return controllers.contains(controller);
        }
    }

    public CgroupHost {
        v1 = List.copyOf(v1);
    }

    /** The layout of this host. */
    public Mode mode() {
        if (v1.stream().anyMatch(h -> h.controllers().stream().anyMatch(c -> !c.startsWith("name=")))) {
            return unified.isPresent() ? Mode.HYBRID : Mode.LEGACY;
        }
        return Mode.UNIFIED;
    }

    /** The v1 hierarchy that carries {@code controller}, if mounted. */
    public Optional<Hierarchy> v1(String controller) {
        return v1.stream().filter(h -> h.has(controller)).findFirst();
    }

    /** Reads this process's view of the host from {@code /proc/self}. */
    public static CgroupHost detect() throws CgroupException {
        try {
            return parse(Files.readString(Path.of("/proc/self/mountinfo")), Files.readString(Path.of("/proc/self/cgroup")));
        } catch (IOException e) {
            throw new CgroupException("cannot read /proc/self/mountinfo or /proc/self/cgroup: " + e.getMessage(), e);
        }
    }

    /**
     * Parses the contents of a mountinfo file and a {@code /proc/<pid>/cgroup} file.
     *
     * @throws CgroupException if no cgroup hierarchy is mounted
     */
    public static CgroupHost parse(String mountinfo, String procCgroup) throws CgroupException {
        List<Mount> mounts = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            Mount m = Mount.parse(line);
            if (m != null) {
                mounts.add(m);
            }
        }
        List<Hierarchy> v1 = new ArrayList<>();
        Hierarchy unified = null;
        for (String line : procCgroup.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            String path = f[2].strip();
            if (f[0].equals("0") && f[1].isEmpty()) {
                for (Mount m : mounts) {
                    if (m.fstype.equals("cgroup2")) {
                        unified = new Hierarchy(Set.of(), m.mountPoint, m.own(path));
                        break;
                    }
                }
                continue;
            }
            if (f[1].isEmpty()) {
                continue;
            }
            Set<String> controllers = new LinkedHashSet<>(Arrays.asList(f[1].split(",")));
            for (Mount m : mounts) {
                if (m.fstype.equals("cgroup") && m.superOptions.containsAll(controllers)) {
                    v1.add(new Hierarchy(controllers, m.mountPoint, m.own(path)));
                    break;
                }
            }
        }
        if (v1.isEmpty() && unified == null) {
            throw new CgroupException("no cgroup hierarchy is mounted (neither cgroup nor cgroup2 in /proc/self/mountinfo)");
        }
        return new CgroupHost(v1, Optional.ofNullable(unified));
    }

    /** One cgroup or cgroup2 line of mountinfo. */
    private record Mount(String root, Path mountPoint, String fstype, Set<String> superOptions) {

        static Mount parse(String line) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                return null;
            }
            String[] pre = line.substring(0, dash).split(" ");
            String[] post = line.substring(dash + 3).split(" ");
            if (pre.length < 5 || post.length < 3 || !(post[0].equals("cgroup") || post[0].equals("cgroup2"))) {
                return null;
            }
            return new Mount(unescape(pre[3]), Path.of(unescape(pre[4])), post[0], Set.of(post[2].split(",")));
        }

        /** The directory of cgroup {@code path} (as /proc/self/cgroup names it) under this mount. */
        Path own(String path) {
            String rel;
            if (root.equals("/")) {
                rel = path;
            } else if (path.equals(root) || path.startsWith(root + "/")) {
                rel = path.substring(root.length());
            } else {
                rel = "/";
            }
            rel = rel.replaceAll("^/+", "");
            return rel.isEmpty() ? mountPoint : mountPoint.resolve(rel);
        }

        /** mountinfo escapes space, tab, newline and backslash as three octal digits. */
        static String unescape(String s) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }
    }
}
