package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The official Python client (Debian python3-kubernetes, under Debian's python3). */
class PythonClientE2E {

  @Test
  void createListWatchDeleteConfigMap() throws Exception {
    Path script = Path.of(PythonClientE2E.class.getResource("/python/configmap_client.py").toURI());
    try (CapstanServer server = CapstanServer.start()) {
      Path out = Files.createTempFile("python", ".txt");
      Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), server.kubeconfig().toString())
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python client finished");
      String text = Files.readString(out);
      Files.delete(out);
      assertEquals(0, p.exitValue(), text);
      assertTrue(text.contains("watched [('MODIFIED', 'py-cm'), ('DELETED', 'py-cm')]"), text);
      assertTrue(text.contains("deleted"), text);
      assertEquals("scaled 3", run("/python/scale_patch.py", server).strip());
    }
  }

  private static String run(String resource, CapstanServer server) throws Exception {
    Path script = Path.of(PythonClientE2E.class.getResource(resource).toURI());
    Path out = Files.createTempFile("python", ".txt");
    Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), server.kubeconfig().toString())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python client finished");
    String text = Files.readString(out);
    Files.delete(out);
    assertEquals(0, p.exitValue(), text);
    return text;
  }
}
