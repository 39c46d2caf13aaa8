package io.capstan.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/** A kubectl bound to one server plus a folder for the manifests a test writes. */
final class KubectlSession {
  /** A two-container Deployment the change tests edit, apply and patch. */
  static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: app
        namespace: default
      spec:
        replicas: 2
        selector:
          matchLabels: {app: app}
        template:
          metadata:
            labels: {app: app}
          spec:
            containers:
            - name: main
              image: registry.local:5000/app:1
              env:
              - {name: A, value: "1"}
              - {name: B, value: "2"}
              resources:
                requests: {cpu: 100m}
            - name: side
              image: registry.local:5000/side:1
      """;

  final Kubectl kubectl;
  final Path dir;

  KubectlSession(CapstanServer server) throws Exception {
    this.kubectl = new Kubectl(server.kubeconfig());
    this.dir = Files.createTempDirectory("capstan-e2e-manifests-");
  }

  /** Writes a manifest into the session's folder and returns its path. */
  Path write(String name, String yaml) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, yaml);
    return f;
  }

  /** {@code kubectl get RESOURCE -o jsonpath=...}, failing the test when kubectl fails. */
  String get(String resource, String jsonpath) throws Exception {
    return kubectl.run("get", resource, "-o", "jsonpath=" + jsonpath).ok().out();
  }
}
