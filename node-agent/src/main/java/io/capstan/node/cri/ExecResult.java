package io.capstan.node.cri;

/**
 * The outcome of a command run in a container.
 *
 * @param exitCode its exit code (128 + signal if killed), or -1 if it timed out and was killed
 * @param output its stdout and stderr interleaved, at most 64 KiB
 * @param timedOut whether it ran past its timeout
 */
public record ExecResult(int exitCode, String output, boolean timedOut) {}
