package io.capstan.apiserver.openapi;

import java.util.Map;

/** Short descriptions, written for this project, of the served kinds and their top-level fields. */
final class Descriptions {
  private Descriptions() {}

  static final String API_VERSION =
      "Versioned schema of this representation, as group/version (\"v1\" for the core group).";
  static final String KIND = "Kind of this object, in CamelCase; the server rejects a mismatch with the URL.";
  static final String METADATA = "Standard object metadata: name, namespace, labels, annotations and so on.";
  static final String SPEC = "The desired state of the object, written by its owner.";
  static final String STATUS = "The observed state of the object, written by the system; read-only for users.";
  static final String LIST_METADATA = "Standard list metadata: resource version and continuation token.";
  static final String ITEMS = "The objects in this list.";

  private static final Map<String, String> KINDS = Map.ofEntries(
      Map.entry("Namespace", "A Namespace scopes names and policies for the objects created in it."),
      Map.entry("Pod", "A Pod is a group of containers scheduled together onto one node."),
      Map.entry("Service", "A Service gives a stable virtual address and name to a set of Pods."),
      Map.entry("Endpoints", "Endpoints lists the network addresses that implement a Service."),
      Map.entry("ConfigMap", "A ConfigMap holds non-confidential configuration as key-value pairs."),
      Map.entry("Secret", "A Secret holds a small amount of confidential data, such as a password or key."),
      Map.entry("Node", "A Node is a worker machine that runs Pods."),
      Map.entry("Event", "An Event reports something that happened to an object in the cluster."),
      Map.entry("ServiceAccount", "A ServiceAccount is an identity for processes that run in Pods."),
      Map.entry("PersistentVolume", "A PersistentVolume is a piece of storage provisioned in the cluster."),
      Map.entry("PersistentVolumeClaim", "A PersistentVolumeClaim is a request for storage by a user."),
      Map.entry("Deployment", "A Deployment declares Pods and ReplicaSets and rolls out changes to them."),
      Map.entry("ReplicaSet", "A ReplicaSet keeps a given number of identical Pods running."),
      Map.entry("StatefulSet", "A StatefulSet runs Pods with stable identities and per-Pod storage."),
      Map.entry("DaemonSet", "A DaemonSet runs a copy of a Pod on each eligible node."),
      Map.entry("ControllerRevision", "A ControllerRevision is an immutable snapshot of a workload's template, for rollbacks."),
      Map.entry("Job", "A Job runs Pods until a given number of them complete successfully."),
      Map.entry("CronJob", "A CronJob creates Jobs on a repeating schedule."),
      Map.entry("Lease", "A Lease is a lightweight lock, used for leader election and heartbeats."),
      Map.entry("EndpointSlice", "An EndpointSlice lists a subset of the network endpoints of a Service."),
      Map.entry("Scale", "Scale is the desired and observed replica count of a scalable resource."));

  /** A one-line description of a kind. */
  static String kind(String kind) {
    return KINDS.getOrDefault(kind, "A " + kind + " object.");
  }

  /** A one-line description of a kind's list. */
  static String list(String kind) {
    return "A list of " + kind + " objects.";
  }
}
