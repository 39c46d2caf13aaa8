package io.capstan.node.cri;

/**
 * How a streaming exec connects to its caller.
 *
 * @param stdin whether the caller sends input (otherwise the command's stdin is empty)
 * @param tty whether the command runs on a pseudo-terminal (stdout and stderr merged, resizable)
 */
public record ExecOptions(boolean stdin, boolean tty) {}
