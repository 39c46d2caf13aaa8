package io.capstan.node.shim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extracting the shim binary (the noexec case mounts a tmpfs, so it needs root). */
@Tag("privileged")
class ShimInstallPrivilegedIT {
    @TempDir
    Path tmp;

    @Test
    void installsOnceAndReplacesADifferentCopy() throws Exception {
        Path data = tmp.resolve("data");
        Shim shim = Shim.install(data);
        assertEquals(data.resolve("bin/capstan-shim"), shim.binary());
        assertArrayEquals(resource(), Files.readAllBytes(shim.binary()));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(shim.binary())));

        FileTime old = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(shim.binary(), old);
        Shim.install(data);
        assertEquals(old, Files.getLastModifiedTime(shim.binary()), "an identical copy is kept");

        Files.writeString(shim.binary(), "#!/bin/sh\necho tampered\n");
        Shim.install(data);
        assertArrayEquals(resource(), Files.readAllBytes(shim.binary()));
        try (var files = Files.list(data.resolve("bin"))) {
            assertEquals(1, files.count(), "no temporary files are left");
        }
    }

    @Test
    void refusesANoexecMount() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Path data = Files.createDirectories(tmp.resolve("noexec"));
        run("mount", "-t", "tmpfs", "-o", "noexec,size=4m", "capstan-test", data.toString());
        try {
            IOException e = assertThrows(IOException.class, () -> Shim.install(data));
            assertTrue(e.getMessage().contains("noexec"), e.getMessage());
        } finally {
            run("umount", data.toString());
        }
    }

    private static byte[] resource() throws IOException {
        try (InputStream in = Shim.class.getResourceAsStream("capstan-shim")) {
            return in.readAllBytes();
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", command));
    }
}
