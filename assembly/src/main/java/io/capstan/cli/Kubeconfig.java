package io.capstan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Writes the admin kubeconfig (mode 0600, replaced atomically) and reads kubeconfig flags. */
final class Kubeconfig {
  private Kubeconfig() {}

  /**
   * {@code config} for capstan's own long-running clients (controllers, simulated nodes): HTTP/1.1.
   * Over plain HTTP the JDK client would otherwise upgrade to HTTP/2 and carry every informer's
   * watch and every write of the process on one connection, which the server serves on one event
   * loop; measured with 1,000 pods, requests then queued behind each other for seconds. With
   * HTTP/1.1 each watch has its own connection and writes use a pool.
   */
  static io.fabric8.kubernetes.client.Config http11(io.fabric8.kubernetes.client.Config config) {
    config.setHttp2Disable(true);
    return config;
  }

  /** The client config of a {@code --kubeconfig FILE} flag; a usage error when unreadable or invalid. */
  static io.fabric8.kubernetes.client.Config load(String file) {
    try {
      return io.fabric8.kubernetes.client.Config.fromKubeconfig(Files.readString(Path.of(file)));
    } catch (IOException e) {
      throw new UsageException("cannot read kubeconfig " + file + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw new UsageException("invalid kubeconfig " + file + ": " + e.getMessage());
    }
  }

  static void write(Path file, String serverUrl) throws IOException {
    byte[] token = new byte[24];
    new SecureRandom().nextBytes(token);
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: capstan
          cluster:
            server: %s
        contexts:
        - name: capstan
          context:
            cluster: capstan
            user: admin
            namespace: default
        current-context: capstan
        users:
        - name: admin
          user:
            token: %s
        """.formatted(serverUrl, HexFormat.of().formatHex(token));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, yaml);
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
