package io.capstan.node.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.node.sys.MountTable;
import io.capstan.node.sys.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The graph driver contract against the overlay driver, plus what only overlay does. */
class OverlayDriverTest extends GraphDriverContract {

    @Override
    String driverName() {
        return "overlay";
    }

    @Test
    void isTheDefault() {
        assertEquals("overlay", driver.name());
        assertEquals("overlay", GraphDrivers.DEFAULT);
        assertEquals(dataDir.resolve("graph/overlay"), driver.root());
        assertThrows(IllegalArgumentException.class, () -> GraphDrivers.open("zfs", dataDir));
    }

    @Test
    void rootIsAPrivateBindMount() throws IOException {
        MountTable.Mount m = MountTable.read().stream()
                .filter(x -> x.mountPoint().equals(driver.root())).findFirst().orElseThrow();
        assertFalse(m.shared());
    }

    @Test
    void closeLeavesAFilesystemMountedAtTheRootAlone() throws IOException {
        driver.close();
        Sys.mount("capstan-test", driver.root(), "tmpfs", 0, "size=16m");
        try {
            driver = GraphDrivers.open(driverName(), dataDir);
            applyImage();
            driver.prepare("c1", TOP, false);
            driver.release("c1");
            driver.close();
            assertEquals("tmpfs", MountTable.under(driver.root()).get(0).fsType());
        } finally {
            Sys.umount(driver.root(), 0);
        }
        driver = GraphDrivers.open(driverName(), dataDir);
    }

    @Test
    void longLayerChainsFitInOneMount() throws IOException {
        assertChainMounts(60); // mount(2) with about 3.5 KiB of mount data
    }

    @Test
    void chainsBeyondOnePageOfMountDataUseTheNewMountApi() throws IOException {
        assertChainMounts(130); // about 7.5 KiB of lower directories: fsconfig lowerdir+ one by one
    }

    private void assertChainMounts(int layers) throws IOException {
        String parent = null;
        for (int i = 0; i < layers; i++) {
            TarBuilder tar = new TarBuilder().file("f" + i, "layer " + i);
            if (i > 0) {
                tar.whiteout("f" + (i - 1));
            }
            tar.file("all/" + i, Integer.toString(i));
            String id = "sha256:" + String.format("%064d", i);
            driver.applyLayer(id, parent, tar.stream());
            parent = id;
        }
        Path rootfs = driver.prepare("c1", parent, false);
        Map<String, String> v = Views.of(rootfs);
        Set<String> expected = new HashSet<>(Set.of("all", "f" + (layers - 1)));
        for (int i = 0; i < layers; i++) {
            expected.add("all/" + i);
        }
        assertEquals(expected, v.keySet());
        assertEquals(Map.of("c1", rootfs), driver.mounts());
    }

    @Test
    void whiteoutsAreStoredInOverlayFormat() throws IOException {
        applyImage();
        driver.applyLayer("sha256:del", TOP, new TarBuilder().whiteout("a/x").opaque("b").stream());
        Path diff = onlyDiff("sha256%3Adel");
        assertEquals("chr 0 0:0 0/0", Views.describe(diff.resolve("a/x")));
        assertTrue(Views.describe(diff.resolve("b")).endsWith(" opaque"));

        Path rootfs = driver.prepare("c1", TOP, false);
        Files.delete(rootfs.resolve("a/y"));
        driver.commit("c1", "sha256:committed");
        assertEquals("chr 0 0:0 0/0", Views.describe(onlyDiff("sha256%3Acommitted").resolve("a/y")),
                "a deletion in a container is committed as a whiteout");
    }

    private Path onlyDiff(String dirName) {
        return driver.root().resolve("layers").resolve(dirName).resolve("diff");
    }
}
