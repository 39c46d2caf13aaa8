package io.capstan.apiserver.decode.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The kinds whose protobuf bodies this server decodes, by apiVersion and kind: every built-in kind
 * it serves, the bodies of the subresources it serves (Binding, Eviction, Scale), and the reviews
 * that kubectl posts in protobuf ({@code create token}, {@code auth can-i}, {@code auth whoami}).
 */
public final class ProtoKinds {
  private static final Map<String, String> MESSAGES = new LinkedHashMap<>();

  static {
    for (String kind : new String[] {"Namespace", "Pod", "Service", "Endpoints", "ConfigMap", "Secret", "Node",
        "Event", "ServiceAccount", "PersistentVolume", "PersistentVolumeClaim", "Binding"}) {
      add("v1", "k8s.io.api.core.v1." + kind);
    }
    for (String kind : new String[] {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"}) {
      add("apps/v1", "k8s.io.api.apps.v1." + kind);
    }
    add("batch/v1", "k8s.io.api.batch.v1.Job");
    add("batch/v1", "k8s.io.api.batch.v1.CronJob");
    add("coordination.k8s.io/v1", "k8s.io.api.coordination.v1.Lease");
    add("discovery.k8s.io/v1", "k8s.io.api.discovery.v1.EndpointSlice");
    add("events.k8s.io/v1", "k8s.io.api.events.v1.Event");
    add("authentication.k8s.io/v1", "k8s.io.api.authentication.v1.TokenRequest");
    add("authentication.k8s.io/v1", "k8s.io.api.authentication.v1.SelfSubjectReview");
    add("authorization.k8s.io/v1", "k8s.io.api.authorization.v1.SelfSubjectAccessReview");
    add("authorization.k8s.io/v1", "k8s.io.api.authorization.v1.SelfSubjectRulesReview");
    add("policy/v1", "k8s.io.api.policy.v1.Eviction");
    add("autoscaling/v1", "k8s.io.api.autoscaling.v1.Scale");
  }

  private ProtoKinds() {}

  private static void add(String apiVersion, String message) {
    MESSAGES.put(apiVersion + "/" + message.substring(message.lastIndexOf('.') + 1), message);
  }

  /** Whether a protobuf body of this kind can be decoded. */
  public static boolean supports(String apiVersion, String kind) {
    return MESSAGES.containsKey(apiVersion + "/" + kind);
  }

  /** The supported kinds as {@code apiVersion/Kind}, e.g. {@code apps/v1/Deployment}. */
  public static Set<String> all() {
    return Set.copyOf(MESSAGES.keySet());
  }

  /** The message descriptor of a kind, or null when the kind is not decoded. */
  static Descriptor descriptor(String apiVersion, String kind) {
    String message = MESSAGES.get(apiVersion + "/" + kind);
    return message == null ? null : ProtoSchemas.message(message);
  }
}
