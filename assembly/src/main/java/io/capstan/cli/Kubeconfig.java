package io.capstan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Writes the admin kubeconfig (mode 0600, replaced atomically). */
final class Kubeconfig {
  private Kubeconfig() {}

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
