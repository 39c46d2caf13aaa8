package io.capstan.node.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The users and groups of a container's root filesystem ({@code /etc/passwd}, {@code /etc/group}).
 * A file that is missing, or reached through a symlink (which would resolve on the host, not in the
 * image), counts as empty; at most 1 MiB of each is read.
 */
final class ImageUsers {
    private static final int MAX_BYTES = 1 << 20;

    record User(String name, long uid, long gid) {}

    private record Group(String name, long gid, List<String> members) {}

    private final List<User> users;
    private final List<Group> groups;

    private ImageUsers(List<User> users, List<Group> groups) {
        this.users = users;
        this.groups = groups;
    }

    static ImageUsers read(Path rootfs) throws IOException {
        List<User> users = new ArrayList<>();
        for (String[] f : entries(rootfs, "passwd")) {
            if (f.length >= 4 && isId(f[2]) && isId(f[3])) {
                users.add(new User(f[0], Long.parseLong(f[2]), Long.parseLong(f[3])));
            }
        }
        List<Group> groups = new ArrayList<>();
        for (String[] f : entries(rootfs, "group")) {
            if (f.length >= 3 && isId(f[2])) {
                List<String> members = f.length >= 4 && !f[3].isBlank() ? List.of(f[3].split(",")) : List.of();
                groups.add(new Group(f[0], Long.parseLong(f[2]), members));
            }
        }
        return new ImageUsers(users, groups);
    }

    Optional<User> byName(String name) {
        return users.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    Optional<User> byUid(long uid) {
        return users.stream().filter(u -> u.uid() == uid).findFirst();
    }

    Optional<Long> groupByName(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).map(Group::gid).findFirst();
    }

    /** The gids of the groups that list the user with this uid as a member. */
    List<Long> memberships(long uid) {
        Optional<User> user = byUid(uid);
        if (user.isEmpty()) {
            return List.of();
        }
        return groups.stream().filter(g -> g.members().contains(user.get().name())).map(Group::gid).toList();
    }

    private static List<String[]> entries(Path rootfs, String file) throws IOException {
        Path etc = rootfs.resolve("etc");
        Path path = etc.resolve(file);
        if (!Files.isDirectory(etc, LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(MAX_BYTES);
        }
        List<String[]> out = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                out.add(line.split(":", -1));
            }
        }
        return out;
    }

    private static boolean isId(String s) {
        return !s.isEmpty() && s.length() < 11 && s.chars().allMatch(Character::isDigit);
    }
}
