package io.capstan.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.json.Json;

/**
 * The Kubernetes version capstan speaks. kubectl's dispatcher picks its binary from the minor
 * version here, so it must name the API level we serve (v1.32).
 */
public final class Version {
  public static final String CAPSTAN = "0.1.0";
  public static final String KUBERNETES = "v1.32.4";

  private Version() {}

  public static ObjectNode info() {
    return Json.object()
        .put("major", "1")
        .put("minor", "32")
        .put("gitVersion", KUBERNETES + "+capstan-" + CAPSTAN)
        .put("gitCommit", "capstan")
        .put("gitTreeState", "clean")
        .put("buildDate", "2026-11-27T00:00:00Z")
        .put("goVersion", "java" + Runtime.version().feature())
        .put("compiler", "javac")
        .put("platform", "linux/amd64");
  }
}
