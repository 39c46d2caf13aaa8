package io.capstan.apiserver.resources;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON properties of a Fabric8 model class (its {@code @JsonProperty} fields, inherited ones
 * included) with their Java types, cached. The schema walkers of field validation, strategic
 * merge patch and field management all read the model through this one place.
 */
public final class ModelProperties {
  private static final Map<Class<?>, Map<String, Type>> CACHE = new ConcurrentHashMap<>();

  private ModelProperties() {}

  /** JSON property name to the field's generic type, in declaration order. */
  public static Map<String, Type> of(Class<?> c) {
    return CACHE.computeIfAbsent(c, k -> {
      Map<String, Type> props = new LinkedHashMap<>();
      for (Class<?> cl = k; cl != null && cl != Object.class; cl = cl.getSuperclass()) {
        for (Field f : cl.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers()) || f.isAnnotationPresent(JsonIgnore.class)) {
            continue;
          }
          JsonProperty jp = f.getAnnotation(JsonProperty.class);
          if (jp != null) {
            props.putIfAbsent(jp.value().isEmpty() ? f.getName() : jp.value(), f.getGenericType());
          }
        }
      }
      return java.util.Collections.unmodifiableMap(props);
    });
  }
}
