package io.capstan.node.image;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The writers' lock of one store: an exclusive {@code flock}-style lock on {@code <images>/lock}
 * for other processes, and (because a JVM may hold a file lock only once) a JVM-wide lock per
 * lock file for other threads and other store instances on the same directory.
 */
final class StoreLock {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    private final Path file;
    private final ReentrantLock local;

    StoreLock(Path file) throws IOException {
        this.file = file;
        this.local = IN_PROCESS.computeIfAbsent(file.toAbsolutePath().normalize(), p -> new ReentrantLock());
    }

    /** A held lock; close releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    Held acquire() throws IOException {
        local.lock();
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.lock();
            FileChannel channel = ch;
            return () -> {
                try {
                    lock.release();
                    channel.close();
                } finally {
                    local.unlock();
                }
            };
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            local.unlock();
            throw e;
        }
    }
}
