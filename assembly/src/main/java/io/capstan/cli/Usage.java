package io.capstan.cli;

/** The text of {@code capstan --help}. */
final class Usage {
  static final String TEXT = """
      capstan: a Kubernetes-style control plane with its own container engine

      usage:
        capstan server --data-dir DIR [--listen HOST:PORT]
            all-in-one: API server on embedded SQLite in DIR and the controllers;
            writes an admin kubeconfig to DIR/kubeconfig. Default listen 127.0.0.1:6443.
        capstan apiserver --storage sqlite:DIR [--listen HOST:PORT]
            the API server alone.
        capstan controllers --kubeconfig FILE
            the controllers alone (leader-elected, so several may run).
        capstan version
            prints the version.
      """;

  private Usage() {}
}
