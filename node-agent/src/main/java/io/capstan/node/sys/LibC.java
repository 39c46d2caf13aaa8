package io.capstan.node.sys;

import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc functions capstan binds. Public only because jnr-ffi generates its implementation in
 * another class loader; use {@link Sys}, which checks results and saves errno.
 */
public interface LibC {

    int mount(String source, String target, String fstype, long flags, String data);

    int umount2(String target, int flags);

    int fsopen(String fsname, int flags);

    int fsconfig(int fd, int cmd, String key, String value, int aux);

    int fsmount(int fd, int flags, int attrFlags);

    int move_mount(int fromDirfd, String fromPath, int toDirfd, String toPath, int flags);

    int close(int fd);

    int mknod(String path, int mode, long dev);

    int chmod(String path, int mode);

    int utimensat(int dirfd, String path, long[] times, int flags);

    int lsetxattr(String path, String name, byte[] value, @size_t long size, int flags);

    @ssize_t
    long lgetxattr(String path, String name, byte[] value, @size_t long size);

    @ssize_t
    long llistxattr(String path, byte[] list, @size_t long size);

    String strerror(int errnum);
}
