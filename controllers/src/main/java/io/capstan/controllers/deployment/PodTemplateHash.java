package io.capstan.controllers.deployment;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The {@code pod-template-hash} of a pod template and the template comparison that ignores it.
 *
 * <p>The hash is a 32-bit FNV-1a of the template's canonical JSON (object keys sorted), followed by
 * the collision count when there is one, written as its decimal digits mapped onto an alphabet
 * without vowels (so a hash never spells a word and is a valid label value and name suffix). It is
 * stable across processes and changes whenever the template changes.
 */
final class PodTemplateHash {
  static final String LABEL = "pod-template-hash";
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private PodTemplateHash() {}

  /** The hash of {@code template} with {@code collisionCount} (null or 0 for none). */
  static String of(PodTemplateSpec template, Integer collisionCount) {
    int hash = 0x811c9dc5;
    byte[] bytes = canonical(template).getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    if (collisionCount != null && collisionCount != 0) {
      for (byte b : Integer.toString(collisionCount).getBytes(StandardCharsets.US_ASCII)) {
        hash ^= b & 0xff;
        hash *= 0x01000193;
      }
    }
    String digits = Long.toString(Integer.toUnsignedLong(hash));
    StringBuilder safe = new StringBuilder(digits.length());
    for (char c : digits.toCharArray()) {
      safe.append(ALPHABET.charAt(c - '0'));
    }
    return safe.toString();
  }

  /** Whether two templates are equal once the {@code pod-template-hash} label is dropped from both. */
  static boolean equalIgnoringHash(PodTemplateSpec a, PodTemplateSpec b) {
    return Objects.equals(canonical(withoutHash(a)), canonical(withoutHash(b)));
  }

  /** {@code template} with {@code hash} as its {@code pod-template-hash} label (a copy). */
  static PodTemplateSpec withHash(PodTemplateSpec template, String hash) {
    PodTemplateSpec copy = SERIALIZATION.clone(template);
    if (copy.getMetadata() == null) {
      copy.setMetadata(new ObjectMeta());
    }
    Map<String, String> labels = copy.getMetadata().getLabels() == null
        ? new LinkedHashMap<>() : new LinkedHashMap<>(copy.getMetadata().getLabels());
    labels.put(LABEL, hash);
    copy.getMetadata().setLabels(labels);
    return copy;
  }

  private static PodTemplateSpec withoutHash(PodTemplateSpec template) {
    if (template == null) {
      return new PodTemplateSpec();
    }
    PodTemplateSpec copy = SERIALIZATION.clone(template);
    if (copy.getMetadata() != null && copy.getMetadata().getLabels() != null) {
      Map<String, String> labels = new LinkedHashMap<>(copy.getMetadata().getLabels());
      labels.remove(LABEL);
      copy.getMetadata().setLabels(labels.isEmpty() ? null : labels);
    }
    return copy;
  }

  private static String canonical(PodTemplateSpec template) {
    return SERIALIZATION.asJson(sorted(SERIALIZATION.convertValue(template, Object.class)));
  }

  /** The same JSON value with every object's keys in order. */
  private static Object sorted(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new TreeMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(sorted(v)));
      return out;
    }
    return value;
  }
}
