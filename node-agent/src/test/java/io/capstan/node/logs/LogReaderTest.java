package io.capstan.node.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReaderTest {
    @TempDir
    Path dir;

    private String read(LogOptions o) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LogReader(LogFiles.select(dir, "web", "main", o.previous()), o).read(LogSink.to(out), () -> false);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void readsRotatedFilesOldestFirstThenTheCurrent() throws Exception {
        try (CriLogWriter w = new CriLogWriter(dir, 0, 5)) {
            w.line("stdout", "one").line("stderr", "two");
            w.rotate();
            w.line("stdout", "three");
            w.rotate();
            w.line("stdout", "four").line("stdout", "five");
        }
        assertEquals("one\ntwo\nthree\nfour\nfive\n", read(LogOptions.ALL));
        assertEquals("two\n", read(LogOptions.ALL.withStream(LogStream.STDERR)));
    }

    @Test
    void tailCountsLinesAcrossRotatedFiles() throws Exception {
        try (CriLogWriter w = new CriLogWriter(dir, 0, 5)) {
            w.line("stdout", "a").line("stdout", "b").line("stdout", "c");
            w.rotate();
            w.line("stdout", "d");
            w.rotate();
            w.line("stdout", "e");
        }
        assertEquals("b\nc\nd\ne\n", read(LogOptions.ALL.withTailLines(4)));
        assertEquals("e\n", read(LogOptions.ALL.withTailLines(1)));
        assertEquals("", read(LogOptions.ALL.withTailLines(0)));
        assertEquals("a\nb\nc\nd\ne\n", read(LogOptions.ALL.withTailLines(50)));
    }

    @Test
    void tailOfABigFileReadsOnlyItsEnd() throws Exception {
        try (CriLogWriter w = new CriLogWriter(dir, 0, 5)) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 100_000; i++) {
                sb.append("2026-01-02T03:04:05.000000001Z stdout F line ").append(i).append('\n');
            }
            w.raw(sb.toString());
        }
        assertEquals("line 99997\nline 99998\nline 99999\n", read(LogOptions.ALL.withTailLines(3)));
    }

    @Test
    void partialRecordsAreJoinedAndCountAsOneLine() throws Exception {
        try (CriLogWriter w = new CriLogWriter(dir, 0, 5)) {
            w.line("stdout", "first");
            w.record("stdout", 'P', "long ").record("stderr", 'F', "err").record("stdout", 'P', "line ");
            w.line("stdout", "end");
        }
        assertEquals("first\nlong errline end\n", read(LogOptions.ALL).replace("err\n", "err"));
        assertEquals("long line end\n", read(LogOptions.ALL.withStream(LogStream.STDOUT).withTailLines(1)));
        String stamped = read(LogOptions.ALL.withStream(LogStream.STDOUT).withTimestamps(true));
        assertEquals("2026-01-02T03:04:05.000000001Z first\n2026-01-02T03:04:06.000000001Z long line end\n",
                stamped);
    }

    @Test
    void sinceFiltersByRecordTime() throws Exception {
        try (CriLogWriter w = new CriLogWriter(dir, 0, 5)) {
            w.line("stdout", "a").line("stdout", "b");
            w.rotate();
            w.line("stdout", "c").line("stdout", "d");
        }
        assertEquals("c\nd\n", read(LogOptions.ALL.withSince(CriLogWriter.T0.plusSeconds(2))));
        assertEquals("b\nc\nd\n", read(LogOptions.ALL.withSince(CriLogWriter.T0.plusMillis(1))));
        assertEquals("d\n", read(LogOptions.ALL.withTailLines(1).withSince(CriLogWriter.T0)));
    }

    @Test
    void timestampsUseNineFractionDigits() throws Exception {
        try (CriLogWriter w = new CriLogWriter(dir, 0, 5)) {
            w.raw("2026-01-02T03:04:05.5Z stdout F short fraction\n");
            w.raw("2026-01-02T05:04:05.123+02:00 stderr F with offset\n");
        }
        assertEquals("2026-01-02T03:04:05.500000000Z short fraction\n"
                + "2026-01-02T03:04:05.123000000Z with offset\n", read(LogOptions.ALL.withTimestamps(true)));
    }

    @Test
    void limitBytesCutsTheOutput() throws Exception {
        try (CriLogWriter w = new CriLogWriter(dir, 0, 5)) {
            w.line("stdout", "hello").line("stdout", "world");
            w.rotate();
            w.line("stdout", "again");
        }
        assertEquals("hello\nwor", read(LogOptions.ALL.withLimitBytes(9)));
        assertEquals("hello\nworld\n", read(LogOptions.ALL.withLimitBytes(12)));
        assertEquals("2026-01-02T03:04:05.000000001Z h",
                read(LogOptions.ALL.withLimitBytes(32).withTimestamps(true)));
    }

    @Test
    void malformedAndTruncatedRecordsAreSkippedOrKept() throws Exception {
        try (CriLogWriter w = new CriLogWriter(dir, 0, 5)) {
            w.line("stdout", "ok");
            w.raw("garbage without format\n");
            w.raw("2026-01-02T03:04:05Z stdin F wrong stream\n");
            w.raw("\n");
            w.raw("x".repeat(LogSource.MAX_LINE + 10) + "\n");
            w.line("stdout", "still ok");
            w.raw("2026-01-02T03:04:05Z stdout F trunc");
        }
        LogFiles files = LogFiles.select(dir, "web", "main", false);
        List<String> chunks = new ArrayList<>();
        LogReader.Result r = new LogReader(files, LogOptions.ALL)
                .read((s, b, off, len) -> chunks.add(s + ":" + new String(b, off, len, StandardCharsets.UTF_8)),
                        () -> false);
        assertEquals("ok\nstill ok\ntrunc", String.join("", chunks).replace("stdout:", ""));
        assertEquals(4, r.skipped());
        assertEquals("ok\nstill ok\ntrunc".length(), r.bytes());
    }

    @Test
    void previousReadsTheAttemptBefore() throws Exception {
        try (CriLogWriter w0 = new CriLogWriter(dir, 0, 5); CriLogWriter w1 = new CriLogWriter(dir, 1, 5)) {
            w0.line("stdout", "first run");
            w1.line("stdout", "second run");
        }
        assertEquals("first run\n", read(LogOptions.ALL.withPrevious(true)));
        assertEquals("second run\n", read(LogOptions.ALL));
    }
}
