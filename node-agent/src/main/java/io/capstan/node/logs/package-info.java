/**
 * Reading container logs in the CRI format the shim writes
 * ({@code <RFC3339Nano> <stdout|stderr> <F|P> <content>\n}, 'P' = a partial line the next record of
 * the same stream continues) from
 * {@code <data-dir>/logs/<ns>_<pod>_<uid>/<container>/<attempt>.log} and the shim's size-rotated
 * {@code <attempt>.log.1}, {@code .2}, ... (higher = older).
 *
 * <p>{@link io.capstan.node.logs.LogFiles} chooses the files of a container (the current attempt or,
 * with {@code previous}, the one before it), {@link io.capstan.node.logs.LogOptions} holds the
 * kubelet's containerLogs options (tailLines, sinceTime/sinceSeconds, timestamps, limitBytes, follow,
 * previous, stream) and parses them from a query, and {@link io.capstan.node.logs.LogReader} writes
 * the selected lines to a {@link io.capstan.node.logs.LogSink}: raw text into an
 * {@link java.io.OutputStream}, or chunks tagged with their stream for attach. Following continues
 * across the shim's renames and ends once the container has exited and its file is drained.
 * Malformed records are skipped and counted, never thrown.
 */
package io.capstan.node.logs;
