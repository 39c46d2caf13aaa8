package io.capstan.apiserver.registry.patch;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.capstan.apiserver.openapi.PatchMetadata;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.Collection;
import io.capstan.apiserver.resources.ModelProperties;
import java.util.Map;

/**
 * Where a strategic merge patch stands in the Fabric8 model of a kind: a struct (a model class
 * whose JSON fields are its {@code @JsonProperty} fields), a map of string to values, a list, or
 * free-form JSON (anything else: Object, quantities, int-or-string, classes with their own JSON
 * serializer, or an unknown kind). Only structs carry patch metadata, looked up in {@link
 * PatchMetadata} (the table the served OpenAPI publishes).
 */
final class SmpSchema {
  enum Kind { STRUCT, MAP, LIST, FREE }

  static final SmpSchema FREE = new SmpSchema(Kind.FREE, null, null);

  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

  private final Kind kind;
  /** The model class of a struct; null otherwise. */
  private final Class<?> struct;
  /** The value type of a map or the element type of a list; null otherwise. */
  private final Type inner;

  private SmpSchema(Kind kind, Class<?> struct, Type inner) {
    this.kind = kind;
    this.struct = struct;
    this.inner = inner;
  }

  /** The schema of a JSON value typed {@code type} in a Fabric8 model; null gives free-form. */
  static SmpSchema of(Type type) {
    if (type instanceof WildcardType w && w.getUpperBounds().length == 1) {
      return of(w.getUpperBounds()[0]);
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
      Type[] args = p.getActualTypeArguments();
      if (Collection.class.isAssignableFrom(raw) && args.length == 1) {
        return new SmpSchema(Kind.LIST, null, args[0]);
      }
      if (Map.class.isAssignableFrom(raw) && args.length == 2) {
        return new SmpSchema(Kind.MAP, null, args[1]);
      }
      return FREE;
    }
    if (type instanceof Class<?> c) {
      if (c.isArray() && c != byte[].class) {
        return new SmpSchema(Kind.LIST, null, c.getComponentType());
      }
      if (isStruct(c)) {
        return new SmpSchema(Kind.STRUCT, c, null);
      }
    }
    return FREE;
  }

  Kind kind() {
    return kind;
  }

  /** Whether this is a model class that does not declare the JSON field {@code name}. */
  boolean rejectsUnknown(String name) {
    return kind == Kind.STRUCT && !properties(struct).containsKey(name);
  }

  /** The schema of the value under {@code name}: a struct's field, or a map's values. */
  SmpSchema field(String name) {
    return switch (kind) {
      case STRUCT -> {
        Type t = properties(struct).get(name);
        yield t == null ? FREE : of(t);
      }
      case MAP -> of(inner);
      default -> FREE;
    };
  }

  /** The schema of the elements of a list (free-form when this is not a list). */
  SmpSchema element() {
    return kind == Kind.LIST ? of(inner) : FREE;
  }

  /** Patch metadata (merge key, strategy) of a struct's field, or null. */
  PatchMetadata.Field meta(String name) {
    if (kind != Kind.STRUCT) {
      return null;
    }
    try {
      return PatchMetadata.lookup(struct, name).orElse(null);
    } catch (IllegalArgumentException notMapped) {
      return null;
    }
  }

  /** Whether a JSON object is acceptable here (false only where a list is declared). */
  boolean acceptsObject() {
    return kind != Kind.LIST;
  }

  /** Whether a JSON array is acceptable here (false where a struct or map is declared). */
  boolean acceptsArray() {
    return kind == Kind.LIST || kind == Kind.FREE;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case STRUCT -> struct.getSimpleName();
      case MAP -> "map";
      case LIST -> "list";
      case FREE -> "any";
    };
  }

  private static boolean isStruct(Class<?> c) {
    String n = c.getName();
    if (!n.startsWith(MODEL_PACKAGE) || c.isInterface() || c.isEnum() || c.isPrimitive()
        || n.endsWith(".Quantity") || n.endsWith(".IntOrString") || n.endsWith(".KubernetesResource")) {
      return false;
    }
    for (Class<?> cl = c; cl != null && cl != Object.class; cl = cl.getSuperclass()) {
      if (hasOwnJsonCodec(cl)) {
        return false;
      }
    }
    return !properties(c).isEmpty();
  }

  /**
   * Whether a class names its own (de)serializer, e.g. {@code JSONSchemaPropsOrArray} (an object
   * or an array on the wire). Read by annotation name, so that it works whichever Jackson major
   * version the model was built with.
   */
  private static boolean hasOwnJsonCodec(Class<?> c) {
    for (Annotation a : c.getAnnotations()) {
      String name = a.annotationType().getSimpleName();
      if (!name.equals("JsonDeserialize") && !name.equals("JsonSerialize")) {
        continue;
      }
      try {
        Object using = a.annotationType().getMethod("using").invoke(a);
        if (using instanceof Class<?> u && !u.getSimpleName().equals("None")) {
          return true;
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, Type> properties(Class<?> c) {
    return ModelProperties.of(c);
  }
}
