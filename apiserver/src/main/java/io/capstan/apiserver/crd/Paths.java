package io.capstan.apiserver.crd;

/** Field paths spelled as apimachinery's field.Path prints them. */
final class Paths {
  private Paths() {}

  /** {@code parent.name}, or {@code name} at the root. */
  static String child(String parent, String name) {
    return parent == null || parent.isEmpty() ? name : parent + "." + name;
  }

  /** {@code parent[key]}. */
  static String key(String parent, String key) {
    return (parent == null ? "" : parent) + "[" + key + "]";
  }

  /** {@code parent[i]}. */
  static String index(String parent, int i) {
    return (parent == null ? "" : parent) + "[" + i + "]";
  }

  /** The path as printed for errors: a nil path prints as {@code <nil>}. */
  static String orNil(String path) {
    return path == null || path.isEmpty() ? "<nil>" : path;
  }
}
