package io.capstan.controllers.statefulset;

import io.capstan.controllers.pods.PodTemplates;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The identity of a StatefulSet's pods, as upstream's {@code stateful_set_utils}: pod {@code i}
 * is named {@code <set>-<i>}, has hostname {@code <set>-<i>} and subdomain {@code
 * spec.serviceName}, the labels {@code statefulset.kubernetes.io/pod-name}, {@code
 * apps.kubernetes.io/pod-index} and {@code controller-revision-hash} (the revision's name), and
 * for each volumeClaimTemplate a volume bound to the claim {@code <template>-<set>-<i>}. Pure.
 */
final class StatefulPods {
  static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
  static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
  static final String REVISION_LABEL = "controller-revision-hash";

  private StatefulPods() {}

  /** The ordinal of {@code pod} in {@code set}, or -1 when its name is not {@code <set>-<n>}. */
  static int ordinal(StatefulSet set, Pod pod) {
    String prefix = set.getMetadata().getName() + "-";
    String name = pod.getMetadata().getName();
    if (!name.startsWith(prefix) || name.length() == prefix.length()) {
      return -1;
    }
    String digits = name.substring(prefix.length());
    if (!digits.chars().allMatch(Character::isDigit) || (digits.length() > 1 && digits.charAt(0) == '0')
        || digits.length() > 9) {
      return -1;
    }
    return Integer.parseInt(digits);
  }

  /** {@code spec.ordinals.start}, 0 when unset. */
  static int startOrdinal(StatefulSet set) {
    var ordinals = set.getSpec().getOrdinals();
    return ordinals == null || ordinals.getStart() == null ? 0 : Math.max(0, ordinals.getStart());
  }

  static int replicas(StatefulSet set) {
    Integer r = set.getSpec().getReplicas();
    return r == null ? 1 : Math.max(0, r);
  }

  static String podName(StatefulSet set, int ordinal) {
    return set.getMetadata().getName() + "-" + ordinal;
  }

  /** The revision name a pod was made from (its {@code controller-revision-hash} label). */
  static String revision(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? null : labels.get(REVISION_LABEL);
  }

  /** Pod {@code ordinal} of {@code set} from {@code template}, made by revision {@code revision}. */
  static Pod newPod(StatefulSet set, PodTemplateSpec template, String revision, int ordinal) {
    Pod base = PodTemplates.newPod(set, template);
    String name = podName(set, ordinal);
    Map<String, String> labels = new LinkedHashMap<>(base.getMetadata().getLabels() == null
        ? Map.of() : base.getMetadata().getLabels());
    labels.put(POD_NAME_LABEL, name);
    labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
    labels.put(REVISION_LABEL, revision);
    List<Volume> volumes = new ArrayList<>();
    List<PersistentVolumeClaim> claims = claimTemplates(set);
    if (base.getSpec().getVolumes() != null) {
      for (Volume v : base.getSpec().getVolumes()) {
        if (claims.stream().noneMatch(c -> c.getMetadata().getName().equals(v.getName()))) {
          volumes.add(v);
        }
      }
    }
    for (PersistentVolumeClaim c : claims) {
      volumes.add(new VolumeBuilder().withName(c.getMetadata().getName())
          .withNewPersistentVolumeClaim().withClaimName(claimName(set, c, ordinal)).endPersistentVolumeClaim().build());
    }
    String service = set.getSpec().getServiceName();
    return new PodBuilder(base)
        .editMetadata().withName(name).withLabels(labels).endMetadata()
        .editSpec().withHostname(name).withSubdomain(service == null || service.isEmpty() ? null : service)
        .withVolumes(volumes.isEmpty() ? null : volumes).endSpec()
        .build();
  }

  /** Whether the pod carries the identity labels of its ordinal (upstream's identityMatches). */
  static boolean identityMatches(StatefulSet set, Pod pod, int ordinal) {
    Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    return Objects.equals(labels.get(POD_NAME_LABEL), pod.getMetadata().getName())
        && Objects.equals(labels.get(POD_INDEX_LABEL), Integer.toString(ordinal));
  }

  /** The claims pod {@code ordinal} needs, one per volumeClaimTemplate. */
  static List<PersistentVolumeClaim> claims(StatefulSet set, int ordinal) {
    List<PersistentVolumeClaim> out = new ArrayList<>();
    for (PersistentVolumeClaim template : claimTemplates(set)) {
      ObjectMeta meta = template.getMetadata();
      Map<String, String> labels = new LinkedHashMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
      if (set.getSpec().getSelector() != null && set.getSpec().getSelector().getMatchLabels() != null) {
        labels.putAll(set.getSpec().getSelector().getMatchLabels());
      }
      out.add(new PersistentVolumeClaimBuilder(template)
          .withNewMetadata()
          .withNamespace(set.getMetadata().getNamespace())
          .withName(claimName(set, template, ordinal))
          .withLabels(labels.isEmpty() ? null : labels)
          .withAnnotations(meta.getAnnotations())
          .endMetadata()
          .withStatus(null)
          .build());
    }
    return out;
  }

  static String claimName(StatefulSet set, PersistentVolumeClaim template, int ordinal) {
    return template.getMetadata().getName() + "-" + podName(set, ordinal);
  }

  private static List<PersistentVolumeClaim> claimTemplates(StatefulSet set) {
    List<PersistentVolumeClaim> templates = set.getSpec().getVolumeClaimTemplates();
    if (templates == null) {
      return List.of();
    }
    return templates.stream().filter(t -> t.getMetadata() != null && t.getMetadata().getName() != null).toList();
  }
}
