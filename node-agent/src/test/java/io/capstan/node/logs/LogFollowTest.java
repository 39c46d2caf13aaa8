package io.capstan.node.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Following: a writer thread appends and rotates while the reader follows. */
class LogFollowTest {
    @TempDir
    Path dir;

    /** Collects the text and lets the test wait for content. */
    static final class Collector implements LogSink {
        private final StringBuilder text = new StringBuilder();
        volatile boolean closed;

        @Override
        public synchronized void write(String stream, byte[] b, int off, int len) {
            text.append(new String(b, off, len, StandardCharsets.UTF_8));
            notifyAll();
        }

        @Override
        public boolean closed() {
            return closed;
        }

        synchronized String text() {
            return text.toString();
        }

        synchronized void awaitContains(String s) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!text.toString().contains(s)) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no \"" + s + "\" in " + text);
                }
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    private CompletableFuture<LogReader.Result> follow(LogOptions o, Collector sink, AtomicBoolean running)
            throws Exception {
        LogReader reader = new LogReader(LogFiles.select(dir, "web", "main", false), o.withFollow(true))
                .pollInterval(Duration.ofMillis(10));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return reader.read(sink, running::get);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void followsAcrossRotationsAndEndsWhenTheContainerExitedAndTheFileIsDrained() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Collector sink = new Collector();
        StringBuilder expected = new StringBuilder();
        try (CriLogWriter w = new CriLogWriter(dir, 0, 5)) {
            w.line("stdout", "before");
            expected.append("before\n");
            CompletableFuture<LogReader.Result> done = follow(LogOptions.ALL, sink, running);
            sink.awaitContains("before\n");
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 5; i++) {
                    w.line("stdout", "r" + round + "-" + i);
                    expected.append("r").append(round).append('-').append(i).append('\n');
                }
                if (round % 2 == 0) { // at most 2 unread rotations: the shim keeps 4 rotated files
                    sink.awaitContains("r" + round + "-4\n");
                }
                w.rotate();
            }
            w.line("stdout", "last");
            expected.append("last\n");
            running.set(false);
            LogReader.Result r = done.get(30, TimeUnit.SECONDS);
            assertEquals(expected.toString(), sink.text());
            assertEquals(expected.length(), r.bytes());
        }
    }

    @Test
    void followWithTailStartsAtTheLastLinesAndWaitsForTheFileToAppear() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Collector sink = new Collector();
        try (CriLogWriter w = new CriLogWriter(dir, 0, 3)) {
            w.line("stdout", "a").line("stdout", "b");
            CompletableFuture<LogReader.Result> done = follow(LogOptions.ALL.withTailLines(1), sink, running);
            sink.awaitContains("b\n");
            w.renameAway();
            Thread.sleep(50); // a few polls find no current file
            w.reopen();
            w.record("stdout", 'P', "half ");
            w.line("stdout", "whole");
            sink.awaitContains("whole");
            running.set(false);
            done.get(30, TimeUnit.SECONDS);
        }
        assertEquals("b\nhalf whole\n", sink.text());
    }

    @Test
    void stopsWhenTheConsumerClosesOrTheThreadIsInterrupted() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Collector sink = new Collector();
        try (CriLogWriter w = new CriLogWriter(dir, 0, 3)) {
            w.line("stdout", "x");
            CompletableFuture<LogReader.Result> done = follow(LogOptions.ALL, sink, running);
            sink.awaitContains("x\n");
            sink.closed = true;
            assertTrue(done.get(30, TimeUnit.SECONDS).interrupted());

            Collector second = new Collector();
            LogReader reader = new LogReader(LogFiles.select(dir, "web", "main", false),
                    LogOptions.ALL.withFollow(true)).pollInterval(Duration.ofMillis(10));
            LogReader.Result[] result = new LogReader.Result[1];
            Thread t = new Thread(() -> {
                try {
                    result[0] = reader.read(second, running::get);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            t.start();
            second.awaitContains("x\n");
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertTrue(result[0] != null && result[0].interrupted());
        }
    }
}
