package io.capstan.apiserver.discovery;

import io.capstan.apiserver.resources.ResourceType;
import java.util.List;

/** What each subresource answers with and which verbs it accepts, as Kubernetes v1.32 serves them. */
final class Subresources {
  private Subresources() {}

  /** The kind a subresource returns and the verbs it supports. */
  record Info(String name, String group, String version, String kind, List<String> verbs) {

    /** Whether the response kind lives in another group-version than the parent resource. */
    boolean crossesGroupVersion(ResourceType parent) {
      return !group.equals(parent.group()) || !version.equals(parent.version());
    }
  }

  private static final List<String> GET_PATCH_UPDATE = List.of("get", "patch", "update");
  private static final List<String> CREATE = List.of("create");
  private static final List<String> CREATE_GET = List.of("create", "get");
  private static final List<String> PROXY = List.of("create", "delete", "get", "patch", "update");

  static Info of(ResourceType parent, String sub) {
    String g = parent.group();
    String v = parent.version();
    return switch (sub) {
      case "status", "ephemeralcontainers", "resize" -> new Info(sub, g, v, parent.kind(), GET_PATCH_UPDATE);
      case "scale" -> new Info(sub, "autoscaling", "v1", "Scale", GET_PATCH_UPDATE);
      case "binding" -> new Info(sub, "", "v1", "Binding", CREATE);
      case "eviction" -> new Info(sub, "policy", "v1", "Eviction", CREATE);
      case "log" -> new Info(sub, g, v, parent.kind(), List.of("get"));
      case "exec" -> new Info(sub, "", "v1", "PodExecOptions", CREATE_GET);
      case "attach" -> new Info(sub, "", "v1", "PodAttachOptions", CREATE_GET);
      case "portforward" -> new Info(sub, "", "v1", "PodPortForwardOptions", CREATE_GET);
      case "proxy" -> new Info(sub, "", "v1", parent.kind() + "ProxyOptions", PROXY);
      case "finalize" -> new Info(sub, g, v, parent.kind(), List.of("update"));
      case "token" -> new Info(sub, "authentication.k8s.io", "v1", "TokenRequest", CREATE);
      default -> new Info(sub, g, v, parent.kind(), GET_PATCH_UPDATE);
    };
  }

  /** The subresources of {@code parent}, sorted by name. */
  static List<Info> of(ResourceType parent) {
    return parent.subresources().stream().sorted().map(s -> of(parent, s)).toList();
  }
}
