package io.capstan.node.sys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;

/**
 * Static entry points to the libc calls capstan needs (Linux, glibc 2.33 or later). Each call
 * either succeeds or throws a {@link SysException} naming the call, the path and the errno text.
 * Thread-safe: errno is saved per thread by jnr-ffi right after each call.
 */
public final class Sys {

    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final long MS_REMOUNT = 32;
    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    public static final long MS_PRIVATE = 1L << 18;

    /** umount2 flag: detach now, finish the unmount once the mount is no longer busy. */
    public static final int MNT_DETACH = 2;

    public static final int ENOENT = 2;
    public static final int EBUSY = 16;
    public static final int EINVAL = 22;
    public static final int ERANGE = 34;
    public static final int ENODATA = 61;
    public static final int EOPNOTSUPP = 95;

    private static final int AT_FDCWD = -100;
    private static final int FSOPEN_CLOEXEC = 1;
    private static final int FSCONFIG_SET_FLAG = 0;
    private static final int FSCONFIG_SET_STRING = 1;
    private static final int FSCONFIG_CMD_CREATE = 6;
    private static final int FSMOUNT_CLOEXEC = 1;
    private static final int MOUNT_ATTR_RDONLY = 1;
    private static final int MOVE_MOUNT_F_EMPTY_PATH = 4;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;

    public static final int S_IFIFO = 0010000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;

    private Sys() {
    }

    /** mount(2). {@code source}, {@code fstype} and {@code data} may be null. */
    public static void mount(String source, Path target, String fstype, long flags, String data)
            throws SysException {
        String t = target.toString();
        if (lib().mount(source, t, fstype, flags, data) != 0) {
            throw failure("mount", t, "type " + fstype + ", flags 0x" + Long.toHexString(flags));
        }
    }

    /**
     * Mounts a new filesystem with the mount API of Linux 5.2+ (fsopen, fsconfig, fsmount,
     * move_mount), which has no one-page limit on the options as a whole: each option is set on
     * its own, in order, so a key may repeat (overlayfs' {@code lowerdir+} since Linux 6.8). Each
     * entry of {@code options} is a key and a value (null for a flag option).
     */
    public static void mountWithOptions(String fstype, String source, List<String[]> options, Path target,
                                        boolean readOnly) throws SysException {
        String t = target.toString();
        int fs = lib().fsopen(fstype, FSOPEN_CLOEXEC);
        if (fs < 0) {
            throw failure("fsopen", t, "type " + fstype);
        }
        int mnt = -1;
        try {
            if (source != null) {
                fsconfig(fs, FSCONFIG_SET_STRING, "source", source, t);
            }
            for (String[] option : options) {
                fsconfig(fs, option[1] == null ? FSCONFIG_SET_FLAG : FSCONFIG_SET_STRING, option[0], option[1], t);
            }
            fsconfig(fs, FSCONFIG_CMD_CREATE, null, null, t);
            mnt = lib().fsmount(fs, FSMOUNT_CLOEXEC, readOnly ? MOUNT_ATTR_RDONLY : 0);
            if (mnt < 0) {
                throw failure("fsmount", t, "type " + fstype);
            }
            if (lib().move_mount(mnt, "", AT_FDCWD, t, MOVE_MOUNT_F_EMPTY_PATH) != 0) {
                throw failure("move_mount", t, null);
            }
        } finally {
            lib().close(fs);
            if (mnt >= 0) {
                lib().close(mnt);
            }
        }
    }

    private static void fsconfig(int fs, int cmd, String key, String value, String target) throws SysException {
        if (lib().fsconfig(fs, cmd, key, value, 0) != 0) {
            throw failure("fsconfig", target, key == null ? "create" : key + (value == null ? "" : "=" + value));
        }
    }

    /** umount2(2). */
    public static void umount(Path target, int flags) throws SysException {
        String t = target.toString();
        if (lib().umount2(t, flags) != 0) {
            throw failure("umount2", t, null);
        }
    }

    /**
     * mknod(2): {@code mode} holds the file type ({@link #S_IFCHR}, {@link #S_IFBLK}, {@link #S_IFIFO})
     * and the permission bits (the umask applies); {@code dev} is a raw dev_t.
     */
    public static void mknod(Path path, int mode, long dev) throws SysException {
        String p = path.toString();
        if (lib().mknod(p, mode, dev) != 0) {
            throw failure("mknod", p, null);
        }
    }

    /**
     * chmod(2) by path, without opening the file (the JDK opens it, which blocks on a fifo).
     * Follows symlinks: do not call it on one.
     */
    public static void chmod(Path path, int mode) throws SysException {
        String p = path.toString();
        if (lib().chmod(p, mode) != 0) {
            throw failure("chmod", p, null);
        }
    }

    /** utimensat(2) with AT_SYMLINK_NOFOLLOW: sets atime and mtime of the file or symlink itself. */
    public static void setTimes(Path path, Instant atime, Instant mtime) throws SysException {
        String p = path.toString();
        long[] times = {atime.getEpochSecond(), atime.getNano(), mtime.getEpochSecond(), mtime.getNano()};
        if (lib().utimensat(AT_FDCWD, p, times, AT_SYMLINK_NOFOLLOW) != 0) {
            throw failure("utimensat", p, null);
        }
    }

    /** glibc's makedev(3). */
    public static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    /** lsetxattr(2): sets an extended attribute without following a final symlink. */
    public static void setXattr(Path path, String name, byte[] value) throws SysException {
        String p = path.toString();
        if (lib().lsetxattr(p, name, value, value.length, 0) != 0) {
            throw failure("lsetxattr", p, name);
        }
    }

    /** lgetxattr(2): the attribute's value, or empty when the file does not have it. */
    public static Optional<byte[]> getXattr(Path path, String name) throws SysException {
        String p = path.toString();
        byte[] buf = new byte[256];
        while (true) {
            long n = lib().lgetxattr(p, name, buf, buf.length);
            if (n >= 0) {
                byte[] value = new byte[(int) n];
                System.arraycopy(buf, 0, value, 0, value.length);
                return Optional.of(value);
            }
            int errno = lastError();
            if (errno == ENODATA) {
                return Optional.empty();
            }
            if (errno != ERANGE || buf.length >= 1 << 20) {
                throw failure("lgetxattr", p, name, errno);
            }
            buf = new byte[buf.length * 4];
        }
    }

    /** llistxattr(2): the names of the file's extended attributes (empty when unsupported). */
    public static List<String> listXattrs(Path path) throws SysException {
        String p = path.toString();
        byte[] buf = new byte[1024];
        long n;
        while ((n = lib().llistxattr(p, buf, buf.length)) < 0) {
            int errno = lastError();
            if (errno == EOPNOTSUPP) {
                return List.of();
            }
            if (errno != ERANGE || buf.length >= 1 << 20) {
                throw failure("llistxattr", p, null, errno);
            }
            buf = new byte[buf.length * 4];
        }
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (buf[i] == 0) {
                if (i > start) {
                    names.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return names;
    }

    /** strerror(3) of an errno value. */
    public static String strerror(int errno) {
        return lib().strerror(errno);
    }

    private static SysException failure(String call, String path, String detail) {
        return failure(call, path, detail, lastError());
    }

    private static SysException failure(String call, String path, String detail, int errno) {
        return new SysException(call, path, detail, errno, strerror(errno));
    }

    private static int lastError() {
        return Holder.RUNTIME.getLastError();
    }

    private static LibC lib() {
        return Holder.LIBC;
    }

    /** Loads the binding on first use; glibc 2.33+ exports mknod directly. */
    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class)
                .option(LibraryOption.SaveError, true)
                .option(LibraryOption.LoadNow, true)
                .load("c");
        static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);
    }
}
