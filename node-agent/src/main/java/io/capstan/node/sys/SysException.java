package io.capstan.node.sys;

import java.io.IOException;

/**
 * A failed libc call. The message reads {@code call(path): strerror text (errno N)}, for example
 * {@code umount2(/var/lib/capstan/x): Invalid argument (errno 22)}.
 */
public final class SysException extends IOException {

    private final String call;
    private final String path;
    private final int errno;

    SysException(String call, String path, String detail, int errno, String text) {
        super(call + "(" + path + (detail == null ? "" : ", " + detail) + "): " + text
                + " (errno " + errno + ")");
        this.call = call;
        this.path = path;
        this.errno = errno;
    }

    /** The libc function that failed, e.g. {@code mount}. */
    public String call() {
        return call;
    }

    /** The path the call was made on. */
    public String path() {
        return path;
    }

    /** The errno value the call left. */
    public int errno() {
        return errno;
    }
}
