package io.capstan.controllers.history;

import io.capstan.controllers.meta.OwnerReferences;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * ControllerRevisions of a pod template, as upstream's {@code controller/history} package and the
 * StatefulSet and DaemonSet controllers record them: the revision's {@code data} is the strategic
 * merge patch {@code {"spec":{"template":{...,"$patch":"replace"}}}} that restores the template,
 * its name is {@code <parent>-<hash>}, where the hash covers the data and the parent's collision
 * count, and it carries the label {@code controller.kubernetes.io/hash}. Pure functions.
 */
public final class Revisions {
  /** The label holding a revision's hash, as upstream's {@code ControllerRevisionHashLabel}. */
  public static final String HASH_LABEL = "controller.kubernetes.io/hash";
  /** Revisions in ascending revision number, then by name for a stable order. */
  public static final Comparator<ControllerRevision> BY_REVISION = Comparator
      .comparing((ControllerRevision r) -> r.getRevision() == null ? 0L : r.getRevision())
      .thenComparing(r -> r.getMetadata().getName());
  /** Characters a hash is spelt with: no vowels (no words), no look-alikes (0/o, 1/l), as upstream. */
  private static final String SAFE = "bcdfghjklmnpqrstvwxz2456789";
  /** Upstream keeps the parent's part of a revision name within this many characters. */
  private static final int MAX_PREFIX = 223;

  private Revisions() {}

  /** The data of a revision that restores {@code template}, as a JSON-shaped map. */
  public static Map<String, Object> templateData(KubernetesSerialization json, PodTemplateSpec template) {
    @SuppressWarnings("unchecked")
    Map<String, Object> tpl = json.unmarshal(json.asJson(template), Map.class);
    Map<String, Object> replace = new LinkedHashMap<>(tpl);
    replace.put("$patch", "replace");
    return Map.of("spec", Map.of("template", replace));
  }

  /** The pod template a revision restores; null when its data holds none. */
  public static PodTemplateSpec template(KubernetesSerialization json, ControllerRevision revision) {
    if (revision.getData() == null) {
      return null;
    }
    // Fabric8 reads data as a generic resource, not a map: go through JSON.
    Object raw = json.unmarshal(json.asJson(revision.getData()), Object.class);
    if (!(raw instanceof Map<?, ?> data) || !(data.get("spec") instanceof Map<?, ?> spec)
        || !(spec.get("template") instanceof Map<?, ?> template)) {
      return null;
    }
    Map<Object, Object> copy = new LinkedHashMap<>(template);
    copy.remove("$patch");
    return json.unmarshal(json.asJson(copy), PodTemplateSpec.class);
  }

  /**
   * The hash of {@code data} with {@code collisionCount}: FNV-1a (32 bit) over the data's JSON
   * and the count, written in decimal with each digit mapped to a safe character.
   */
  public static String hash(KubernetesSerialization json, Object data, Integer collisionCount) {
    int h = 0x811c9dc5;
    byte[] bytes = json.asJson(data).getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      h = (h ^ (b & 0xff)) * 0x01000193;
    }
    if (collisionCount != null) {
      for (int i = 0; i < 4; i++) {
        h = (h ^ ((collisionCount >>> (8 * i)) & 0xff)) * 0x01000193;
      }
    }
    String decimal = Long.toString(Integer.toUnsignedLong(h));
    StringBuilder out = new StringBuilder(decimal.length());
    for (char c : decimal.toCharArray()) {
      out.append(SAFE.charAt(c % SAFE.length()));
    }
    return out.toString();
  }

  /** The name of {@code parent}'s revision with {@code hash}. */
  public static String name(String parent, String hash) {
    String prefix = parent.length() > MAX_PREFIX ? parent.substring(0, MAX_PREFIX) : parent;
    return prefix + "-" + hash;
  }

  /**
   * A new revision of {@code parent} (controller reference to it) with {@code labels} plus the
   * hash label, {@code data} and {@code number}.
   */
  public static ControllerRevision newRevision(HasMetadata parent, Map<String, String> labels, Object data,
      long number, String hash) {
    Map<String, String> all = new LinkedHashMap<>(labels == null ? Map.of() : labels);
    all.put(HASH_LABEL, hash);
    return new ControllerRevisionBuilder()
        .withNewMetadata()
        .withNamespace(parent.getMetadata().getNamespace())
        .withName(name(parent.getMetadata().getName(), hash))
        .withLabels(all)
        .withOwnerReferences(OwnerReferences.controllerReference(parent))
        .endMetadata()
        .withData(data)
        .withRevision(number)
        .build();
  }

  /** Whether two revisions restore the same template (their data are equal JSON). */
  public static boolean sameData(KubernetesSerialization json, Object a, Object b) {
    if (Objects.equals(a, b)) {
      return true;
    }
    Object na = a == null ? null : json.unmarshal(json.asJson(a), Object.class);
    Object nb = b == null ? null : json.unmarshal(json.asJson(b), Object.class);
    return Objects.equals(na, nb);
  }
}
