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
   * A new pod of {@code owner} from {@code template}, in the owner's namespace, with the
   * template's labels, annotations, finalizers and spec and a controller reference to {@code
   * owner}, but no name: the caller sets {@code name} or {@code generateName}. Everything is
   * copied, so the (cached, shared) owner is never aliased by the new pod.
   */
  public static Pod newPod(HasMetadata owner, PodTemplateSpec template) {
    ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    return new PodBuilder()
        .withMetadata(new ObjectMetaBuilder()
            .withNamespace(owner.getMetadata().getNamespace())
            .withLabels(copy(meta.getLabels()))
            .withAnnotations(copy(meta.getAnnotations()))
            .withFinalizers(meta.getFinalizers())
            .withOwnerReferences(OwnerReferences.controllerReference(owner))
            .build())
        .withSpec(new PodSpecBuilder(template.getSpec()).build())
        .build();
  }

  /** As {@link #newPod(HasMetadata, PodTemplateSpec)}, named by the API server from {@code generateName}. */
  public static Pod newPod(HasMetadata owner, PodTemplateSpec template, String generateName) {
    Pod pod = newPod(owner, template);
    pod.getMetadata().setGenerateName(generateName);
    return pod;
  }

  private static Map<String, String> copy(Map<String, String> map) {
    return map == null || map.isEmpty() ? null : new LinkedHashMap<>(map);
  }
}
