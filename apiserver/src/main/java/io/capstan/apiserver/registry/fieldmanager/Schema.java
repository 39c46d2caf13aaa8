package io.capstan.apiserver.registry.fieldmanager;

import io.capstan.apiserver.openapi.PatchMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import io.capstan.apiserver.resources.ModelProperties;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The structure of one position of an object, as structured-merge-diff sees it, derived from the
 * Fabric8 model classes: a struct (named fields), a map (free keys), a list (associative by key,
 * a set, or atomic), a scalar, or "deduced" when nothing is known (objects granular, lists
 * atomic). Structs and maps may be atomic ({@code x-kubernetes-map-type: atomic}).
 */
final class Schema {
  enum Kind { STRUCT, MAP, LIST, SCALAR, DEDUCED }

  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

  /** Fabric8 classes of the upstream types marked {@code +structType=atomic} / map-type atomic. */
  private static final Set<String> ATOMIC_STRUCTS = Set.of(
      "LabelSelector", "OwnerReference", "ObjectReference", "LocalObjectReference", "TypedLocalObjectReference",
      "TypedObjectReference", "SecretReference", "ConfigMapKeySelector", "SecretKeySelector",
      "ObjectFieldSelector", "ResourceFieldSelector", "NodeSelector", "NodeSelectorTerm",
      "TopologySelectorTerm", "RoleRef");

  /** Key fields that upstream schemas default, so that items omitting them still match. */
  private static final Map<String, String> KEY_DEFAULTS = Map.of("protocol", "TCP");

  private static final Map<Class<?>, Schema> STRUCTS = new ConcurrentHashMap<>();

  static final Schema SCALAR = new Schema(Kind.SCALAR, false, null, null, null, List.of());
  static final Schema DEDUCED = new Schema(Kind.DEDUCED, false, null, null, null, List.of());
  private static final Schema ATOMIC_LIST = new Schema(Kind.LIST, true, null, null, "atomic", List.of());
  /** The root of an object whose kind has no model: metadata is known, the rest is deduced. */
  private static final Schema GENERIC_ROOT = new Schema(Kind.STRUCT, false, null, null, null, List.of());

  private final Kind kind;
  private final boolean atomic;
  private final Class<?> struct;
  private final Type element;
  private final String listType;
  private final List<String> keys;
  private final Map<String, Schema> fieldCache = new ConcurrentHashMap<>();

  private Schema(Kind kind, boolean atomic, Class<?> struct, Type element, String listType, List<String> keys) {
    this.kind = kind;
    this.atomic = atomic;
    this.struct = struct;
    this.element = element;
    this.listType = listType;
    this.keys = keys;
  }

  /** The schema of a whole object of this model class (null: a kind without a model). */
  static Schema root(Class<?> model) {
    if (model == null || !isModel(model)) {
      return GENERIC_ROOT;
    }
    return struct(model);
  }

  Kind kind() {
    return kind;
  }

  /** Whether the position is replaced as a whole (scalars, atomic structs/maps/lists). */
  boolean atomic() {
    return atomic || kind == Kind.SCALAR;
  }

  /** For lists: the key fields of a map list (empty for sets and atomic lists). */
  List<String> keys() {
    return keys;
  }

  /** For lists: whether items are identified by keys or values (map or set list). */
  boolean associative() {
    return kind == Kind.LIST && !atomic && ("map".equals(listType) && !keys.isEmpty() || "set".equals(listType));
  }

  /** The model class of a struct (null for the generic root). */
  Class<?> modelClass() {
    return struct;
  }

  /** Whether {@code name} is a declared field of this struct (not a free map key). */
  boolean isNamedField(String name) {
    if (kind != Kind.STRUCT) {
      return false;
    }
    if (struct == null) {
      return name.equals("apiVersion") || name.equals("kind") || name.equals("metadata");
    }
    return properties(struct).containsKey(name);
  }

  /** The declared field names of a struct, in declaration order. */
  Set<String> fieldNames() {
    if (kind != Kind.STRUCT) {
      return Set.of();
    }
    if (struct == null) {
      return Set.of("apiVersion", "kind", "metadata");
    }
    return properties(struct).keySet();
  }

  /** The schema of a struct field or map value. */
  Schema field(String name) {
    switch (kind) {
      case MAP:
        return fieldCache.computeIfAbsent("*", k -> of(element, null, null));
      case STRUCT:
        return fieldCache.computeIfAbsent(name, this::structField);
      default:
        return DEDUCED;
    }
  }

  private Schema structField(String name) {
    if (struct == null) {
      return switch (name) {
        case "metadata" -> struct(ObjectMeta.class);
        case "apiVersion", "kind" -> SCALAR;
        default -> DEDUCED;
      };
    }
    Type t = properties(struct).get(name);
    return t == null ? DEDUCED : of(t, struct, name);
  }

  /** The schema of a list item. */
  Schema element() {
    if (kind != Kind.LIST || element == null) {
      return DEDUCED;
    }
    return fieldCache.computeIfAbsent("[]", k -> of(element, null, null));
  }

  /** The default of a key field that an item may omit, or null. */
  static String keyDefault(String keyField) {
    return KEY_DEFAULTS.get(keyField);
  }

  private static Schema of(Type t, Class<?> owner, String fieldName) {
    if (t instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw)) {
        Optional<PatchMetadata.Field> meta = owner == null || !isModel(owner)
            ? Optional.empty() : PatchMetadata.lookup(owner, fieldName);
        String lt = meta.map(PatchMetadata.Field::listType).orElse(null);
        if ("map".equals(lt) && !meta.get().mapKeys().isEmpty()) {
          return new Schema(Kind.LIST, false, null, args[0], "map", List.copyOf(meta.get().mapKeys()));
        }
        if ("set".equals(lt)) {
          return new Schema(Kind.LIST, false, null, args[0], "set", List.of());
        }
        return new Schema(Kind.LIST, true, null, args[0], "atomic", List.of());
      }
      if (Map.class.isAssignableFrom(raw)) {
        return new Schema(Kind.MAP, false, null, args.length == 2 ? args[1] : Object.class, null, List.of());
      }
      return DEDUCED;
    }
    if (!(t instanceof Class<?> c)) {
      return DEDUCED;
    }
    if (c.isPrimitive() || c.isEnum() || Number.class.isAssignableFrom(c) || c == String.class
        || c == Boolean.class || c == Character.class) {
      return SCALAR;
    }
    String n = c.getName();
    if (n.equals(MODEL_PACKAGE + ".Quantity") || n.equals(MODEL_PACKAGE + ".IntOrString")
        || n.equals(MODEL_PACKAGE + ".MicroTime") || n.equals(MODEL_PACKAGE + ".Duration")) {
      return SCALAR;
    }
    if (List.class.isAssignableFrom(c)) {
      return ATOMIC_LIST;
    }
    if (Map.class.isAssignableFrom(c)) {
      return new Schema(Kind.MAP, false, null, Object.class, null, List.of());
    }
    if (isModel(c)) {
      return struct(c);
    }
    return DEDUCED;
  }

  private static Schema struct(Class<?> c) {
    return STRUCTS.computeIfAbsent(c, k -> properties(k).isEmpty()
        ? DEDUCED
        : new Schema(Kind.STRUCT, ATOMIC_STRUCTS.contains(k.getSimpleName()), k, null, null, List.of()));
  }

  private static boolean isModel(Class<?> c) {
    String n = c.getName();
    return n.startsWith(MODEL_PACKAGE) && !n.endsWith(".KubernetesResource") && !c.isInterface() && !c.isEnum();
  }

  private static Map<String, Type> properties(Class<?> c) {
    return ModelProperties.of(c);
  }
}
