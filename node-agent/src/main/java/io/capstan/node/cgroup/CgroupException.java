package io.capstan.node.cgroup;

/**
 * A cgroup that cannot be detected, created, limited, emptied or removed. The message names the
 * file and the kernel's error text (e.g. {@code Device or resource busy}) and is meant for the
 * user: the runtime reports it as the container's {@code CreateContainerError} message.
 */
public class CgroupException extends Exception {

    public CgroupException(String message) {
        super(message);
    }

    public CgroupException(String message, Throwable cause) {
        super(message, cause);
    }
}
