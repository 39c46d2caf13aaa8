package io.capstan.node.sys;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/** The libc functions capstan binds; errno is saved after every call (see {@link Sys}). */
interface LibC {

    int mount(String source, String target, String fstype, long flags, String data);

    int umount2(String target, int flags);

    int mknod(String path, int mode, long dev);

    int lsetxattr(String path, String name, byte[] value, @size_t long size, int flags);

    @ssize_t
    long lgetxattr(String path, String name, byte[] value, @size_t long size);

    @ssize_t
    long llistxattr(String path, byte[] list, @size_t long size);

    String strerror(int errnum);

    /** Loads the binding once per class loader; glibc 2.33+ exports mknod directly. */
    final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class)
                .option(LibraryOption.SaveError, true)
                .option(LibraryOption.LoadNow, true)
                .load("c");
        static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);

        private Holder() {
        }
    }
}
