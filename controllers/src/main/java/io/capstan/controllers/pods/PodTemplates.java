package io.capstan.controllers.pods;

import io.capstan.controllers.meta.OwnerReferences;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** The pod a controller creates from a pod template, as upstream's {@code GetPodFromTemplate}. */
public final class PodTemplates {
  private PodTemplates() {}

  /**
   * A new pod for {@code owner} from {@code template}: named {@code <owner-name>-<random>} by the
   * API server, with the template's labels, annotations, finalizers and spec, and a controller
   * reference to {@code owner}.
   */
  public static Pod newPod(HasMetadata owner, PodTemplateSpec template) {
    return newPod(owner, template, owner.getMetadata().getName() + "-");
  }

  /** As {@link #newPod(HasMetadata, PodTemplateSpec)}, with the given {@code generateName}. */
  public static Pod newPod(HasMetadata owner, PodTemplateSpec template, String generateName) {
    ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    return new PodBuilder()
        .withMetadata(new ObjectMetaBuilder()
            .withGenerateName(generateName)
            .withNamespace(owner.getMetadata().getNamespace())
            .withLabels(copy(meta.getLabels()))
            .withAnnotations(copy(meta.getAnnotations()))
            .withFinalizers(meta.getFinalizers())
            .withOwnerReferences(OwnerReferences.controllerReference(owner))
            .build())
        // The builder copies the spec, so the cached owner is never shared with the new pod.
        .withSpec(new PodSpecBuilder(template.getSpec()).build())
        .build();
  }

  private static Map<String, String> copy(Map<String, String> map) {
    return map == null || map.isEmpty() ? null : new LinkedHashMap<>(map);
  }
}
