package io.capstan.node.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFilesTest {
    @TempDir
    Path logs;

    private Path dir() throws Exception {
        Path d = LogFiles.containerDir(logs, "ns", "web", "u1", "main");
        Files.createDirectories(d);
        return d;
    }

    @Test
    void currentIsTheHighestAttemptWithItsRotatedFilesOldestFirst() throws Exception {
        Path d = dir();
        for (String f : List.of("0.log", "1.log", "2.log", "2.log.1", "2.log.2", "10.log.1", "junk", "1.log.x")) {
            Files.writeString(d.resolve(f), "");
        }
        LogFiles files = LogFiles.select(d, "web", "main", false);
        assertEquals(10, files.attempt());
        assertEquals(d.resolve("10.log"), files.current());
        assertEquals(List.of(d.resolve("10.log.1")), files.rotated());
        assertEquals(logs.resolve("ns_web_u1").resolve("main"), d);
    }

    @Test
    void previousIsTheHighestAttemptBelowTheCurrent() throws Exception {
        Path d = dir();
        for (String f : List.of("0.log", "2.log", "2.log.1", "2.log.2", "3.log")) {
            Files.writeString(d.resolve(f), "");
        }
        LogFiles files = LogFiles.select(d, "web", "main", true);
        assertEquals(2, files.attempt());
        assertEquals(List.of(d.resolve("2.log.2"), d.resolve("2.log.1")), files.rotated());
    }

    @Test
    void noPreviousAttemptIsTheKubeletMessage() throws Exception {
        Files.writeString(dir().resolve("0.log"), "");
        LogException e = assertThrows(LogException.class, () -> LogFiles.select(dir(), "web", "main", true));
        assertEquals("previous terminated container \"main\" in pod \"web\" not found", e.getMessage());
    }

    @Test
    void aMissingDirectoryIsAClearError() {
        Path d = logs.resolve("nope");
        LogException e = assertThrows(LogException.class, () -> LogFiles.select(d, "web", "main", false));
        assertTrue(e.getMessage().contains("has no log files"), e.getMessage());
        assertTrue(LogFiles.latestAttempt(d).isEmpty());
    }
}
