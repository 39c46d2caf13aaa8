package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** An operator user's kubectl session with a CustomResourceDefinition. */
class KubectlCustomResourceE2E {

  static final String CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: backups.ops.example.com
      spec:
        group: ops.example.com
        scope: Namespaced
        names: {plural: backups, singular: backup, kind: Backup, shortNames: [bk], categories: [all]}
        versions:
        - name: v1
          served: true
          storage: true
          subresources: {status: {}}
          additionalPrinterColumns:
          - {name: Schedule, type: string, jsonPath: .spec.schedule}
          - {name: Keep, type: integer, jsonPath: .spec.keep}
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  description: How often to back up and how many copies to keep.
                  required: [schedule]
                  properties:
                    schedule: {type: string, description: A cron expression.}
                    keep: {type: integer, minimum: 1, default: 7, description: Copies to keep.}
      """;

  @Test
  void defineUseExplainAndDelete() throws Exception {
    try (CapstanServer server = CapstanServer.start()) {
      Kubectl kubectl = new Kubectl(server.kubeconfig());
      Path dir = Files.createTempDirectory("capstan-e2e-crd-");
      Path crd = dir.resolve("crd.yaml");
      Files.writeString(crd, CRD);
      kubectl.run("apply", "-f", crd.toString()).ok();
      kubectl.run("wait", "--for=condition=Established", "crd/backups.ops.example.com", "--timeout=30s").ok();

      Path cr = dir.resolve("nightly.yaml");
      Files.writeString(cr, "apiVersion: ops.example.com/v1\nkind: Backup\nmetadata:\n  name: nightly\n  namespace: default\n"
          + "spec:\n  schedule: \"0 3 * * *\"\n");
      kubectl.run("apply", "-f", cr.toString()).ok();
      String table = kubectl.run("get", "bk").ok().out();
      assertTrue(table.contains("SCHEDULE") && table.contains("KEEP") && table.contains("0 3 * * *") && table.contains("7"), table);
      assertTrue(kubectl.run("get", "all").ok().out().contains("backup.ops.example.com/nightly"));

      String explain = kubectl.run("explain", "backup.spec").ok().out();
      assertTrue(explain.contains("How often to back up") && explain.contains("schedule"), explain);

      Path bad = dir.resolve("bad.yaml");
      Files.writeString(bad, "apiVersion: ops.example.com/v1\nkind: Backup\nmetadata:\n  name: bad\n  namespace: default\n"
          + "spec:\n  schedule: \"@daily\"\n  keep: 0\n  color: blue\n");
      Kubectl.Result rejected = kubectl.run("apply", "-f", bad.toString());
      assertNotEquals(0, rejected.code());
      assertTrue(rejected.err().contains("color") || rejected.err().contains("keep"), rejected.err());

      kubectl.run("delete", "-f", crd.toString(), "--timeout=60s").ok();
      Kubectl.Result gone = kubectl.run("get", "backups.ops.example.com", "nightly");
      assertNotEquals(0, gone.code());
      assertEquals(1, gone.code(), gone.err());
    }
  }
}
