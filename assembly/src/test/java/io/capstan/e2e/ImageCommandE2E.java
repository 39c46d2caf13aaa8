package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.node.image.Image;
import io.capstan.node.image.ImageStore;
import io.capstan.node.image.ImageUsage;
import io.capstan.node.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code capstan image import|ls|rm} of the packaged binary on real tarballs built from busybox. */
class ImageCommandE2E {
  @TempDir
  Path dir;

  private record Run(int code, String out, String err) {}

  @Test
  void importsListsAndRemovesImages() throws Exception {
    Path data = dir.resolve("data");
    String dataDir = data.toString();
    Run rootfs = capstan("image", "import", "--data-dir", dataDir, TestImages.rootfsTarball(dir, true).toString(),
        "busybox:e2e", "--entrypoint", "[\"/bin/sh\", \"-c\"]", "--cmd", "sleep 1", "--env", "A=1", "--env=B=2",
        "--workdir", "/tmp");
    assertEquals(0, rootfs.code(), rootfs.toString());
    assertTrue(rootfs.out().startsWith("Loaded image: busybox:e2e (sha256:"), rootfs.out());
    Run oci = capstan("image", "import", TestImages.ociLayout(dir, "registry.local:5000/bb:oci").toString(),
        "--data-dir", dataDir);
    assertEquals(0, oci.code(), oci.toString());
    assertTrue(oci.out().startsWith("Loaded image: registry.local:5000/bb:oci (sha256:"), oci.out());
    Run docker = capstan("image", "import", "--data-dir", dataDir, TestImages.dockerArchive(dir, "user/app:1").toString());
    assertEquals(0, docker.code(), docker.toString());

    ImageStore store = ImageStore.open(data, ImageUsage.NONE);
    Image image = store.find("busybox:e2e").orElseThrow();
    assertEquals(List.of("/bin/sh", "-c"), image.config().entrypoint());
    assertEquals(List.of("sleep", "1"), image.config().cmd());
    assertTrue(image.config().env().containsAll(List.of("A=1", "B=2")), image.config().env().toString());
    assertEquals("/tmp", image.config().workingDir());
    Image app = store.find("user/app:1").orElseThrow();

    Run ls = capstan("image", "ls", "--data-dir", dataDir);
    assertEquals(0, ls.code(), ls.toString());
    List<String> lines = ls.out().lines().toList();
    assertEquals(4, lines.size(), ls.out());
    assertTrue(lines.get(0).matches("REPOSITORY +TAG +IMAGE ID +SIZE"), lines.get(0));
    assertTrue(lines.get(1).matches("busybox +e2e +" + image.id().shortHex() + " +\\d+(\\.\\d+)?MB"), lines.get(1));
    assertTrue(lines.get(2).matches("registry.local:5000/bb +oci +[0-9a-f]{12} +\\d+(\\.\\d+)?MB"), lines.get(2));
    assertTrue(lines.get(3).matches("user/app +1 +" + app.id().shortHex() + " +\\d+(\\.\\d+)?MB"), lines.get(3));

    Path container = Files.createDirectories(data.resolve("runtime/containers/capstan-e2e"));
    Files.writeString(container.resolve("image-id"), app.id().toString());
    Run inUse = capstan("image", "rm", "--data-dir", dataDir, "user/app:1");
    assertEquals(1, inUse.code(), inUse.toString());
    assertEquals("capstan: image user/app:1 (" + app.id().shortHex() + ") is in use by container capstan-e2e",
        inUse.err().strip());
    Files.delete(container.resolve("image-id"));
    Run rm = capstan("image", "rm", "--data-dir", dataDir, "user/app:1");
    assertEquals(0, rm.code(), rm.toString());
    assertEquals("Untagged: user/app:1\nDeleted: " + app.id(), rm.out().strip());

    Path text = Files.writeString(dir.resolve("notes.tar"), "not a tarball\n".repeat(100));
    Run bad = capstan("image", "import", "--data-dir", dataDir, text.toString(), "x:1");
    assertEquals(1, bad.code(), bad.toString());
    assertEquals("capstan: " + text + " is not a tar archive", bad.err().strip());
    Run badRef = capstan("image", "import", "--data-dir", dataDir, text.toString(), "Bad:1");
    assertEquals(2, badRef.code(), badRef.toString());
    assertEquals("capstan: invalid image reference \"Bad:1\": repository name \"Bad\" must be lowercase",
        badRef.err().strip());
    Run missing = capstan("image", "rm", "--data-dir", dataDir, "nothing:here");
    assertEquals(1, missing.code(), missing.toString());
    assertEquals("capstan: no such image: nothing:here", missing.err().strip());
    Run usage = capstan("image", "import", "--data-dir", dataDir);
    assertEquals(2, usage.code(), usage.toString());
    assertEquals(3, capstan("image", "ls", "--data-dir", dataDir).out().lines().count());

    assertEquals(0, capstan("image", "rm", "--data-dir", dataDir, "busybox:e2e", "registry.local:5000/bb:oci").code());
    assertEquals(1, capstan("image", "ls", "--data-dir", dataDir).out().lines().count());
    try (Stream<Path> blobs = Files.list(data.resolve("images/blobs/sha256"))) {
      assertEquals(List.of(), blobs.toList());
    }
  }

  @Test
  void importsFromSeveralProcessesAtOnceAllLand() throws Exception {
    String dataDir = dir.resolve("data").toString();
    List<String[]> imports = List.of(
        new String[] {TestImages.dockerArchive(dir, null).toString(), "con:docker"},
        new String[] {TestImages.rootfsTarball(dir, false).toString(), "con:rootfs"},
        new String[] {TestImages.rootfsTarball(dir, true).toString(), "con:gzip"},
        new String[] {TestImages.ociLayout(dir, null).toString(), "con:oci"});
    List<CompletableFuture<Run>> runs = imports.stream().map(a -> CompletableFuture.supplyAsync(() -> {
      try {
        return capstan("image", "import", "--data-dir", dataDir, a[0], a[1]);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    })).toList();
    for (CompletableFuture<Run> r : runs) {
      assertEquals(0, r.get().code(), r.get().toString());
    }
    Run ls = capstan("image", "ls", "--data-dir", dataDir);
    List<String> tags = ls.out().lines().skip(1).map(l -> l.split(" +")[1]).sorted().toList();
    assertEquals(List.of("docker", "gzip", "oci", "rootfs"), tags, ls.out());
    try (Stream<Path> tmp = Files.list(dir.resolve("data/images/tmp"))) {
      assertEquals(List.of(), tmp.toList());
    }
  }

  private static Run capstan(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-jar", System.getProperty("capstan.jar")));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    String out = read(p.getInputStream());
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new IllegalStateException("capstan " + String.join(" ", args) + " did not finish");
    }
    return new Run(p.exitValue(), out, err.join());
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
