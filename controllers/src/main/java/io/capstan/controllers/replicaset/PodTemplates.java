package io.capstan.controllers.replicaset;

import io.capstan.controllers.meta.OwnerReferences;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.LinkedHashMap;
import java.util.Map;

/** The pod a ReplicaSet creates from its template, as upstream's {@code GetPodFromTemplate}. */
final class PodTemplates {
  private PodTemplates() {}

  /**
   * A new pod for {@code rs}: named {@code <rs-name>-<random>} by the API server, with the
   * template's labels, annotations, finalizers and spec, and a controller reference to {@code rs}.
   */
  static Pod newPod(ReplicaSet rs) {
    PodTemplateSpec template = rs.getSpec().getTemplate();
    ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    return new PodBuilder()
        .withMetadata(new ObjectMetaBuilder()
            .withGenerateName(rs.getMetadata().getName() + "-")
            .withNamespace(rs.getMetadata().getNamespace())
            .withLabels(copy(meta.getLabels()))
            .withAnnotations(copy(meta.getAnnotations()))
            .withFinalizers(meta.getFinalizers())
            .withOwnerReferences(OwnerReferences.controllerReference(rs))
            .build())
        // The builder copies the spec, so the cached ReplicaSet is never shared with the new pod.
        .withSpec(new PodSpecBuilder(template.getSpec()).build())
        .build();
  }

  private static Map<String, String> copy(Map<String, String> map) {
    return map == null || map.isEmpty() ? null : new LinkedHashMap<>(map);
  }
}
