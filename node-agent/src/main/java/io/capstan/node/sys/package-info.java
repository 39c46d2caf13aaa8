/**
 * The node agent's tiny native surface: the few libc calls Java has no API for (mount, umount2,
 * mknod, extended attributes), bound through jnr-ffi, and a reader for /proc/self/mountinfo.
 *
 * <p>Every failing call becomes a {@link io.capstan.node.sys.SysException} whose message names the
 * call, the path and the errno text. Nothing here enters or creates a namespace: namespace work
 * happens only in the static shim, never on a JVM thread (see docs/architecture.md).
 */
package io.capstan.node.sys;
