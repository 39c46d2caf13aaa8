package io.capstan.controllers.gc;

/**
 * The identity of one object in the dependency graph.
 *
 * @param apiVersion e.g. {@code apps/v1}
 * @param kind e.g. {@code ReplicaSet}
 * @param namespace empty for cluster-scoped objects (and for owners whose scope is not known yet)
 * @param name the object's name
 * @param uid the object's uid, the graph's key
 */
public record ObjectRef(String apiVersion, String kind, String namespace, String name, String uid) {
  public ObjectRef {
    namespace = namespace == null ? "" : namespace;
  }

  @Override
  public String toString() {
    return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name + " (uid " + uid + ")";
  }
}
