package io.capstan.controllers.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** The binding body the binder writes by hand is the v1 Binding a model object would give. */
class BinderJsonTest {
  @Test
  void writesAv1BindingWithEscapedStrings() {
    PodInfo pod = new PodInfo(new PodBuilder().withNewMetadata().withNamespace("ns-1").withName("web-0")
        .withUid("0b5c\"\\\n").endMetadata().withNewSpec().endSpec().build());
    Binding binding = new KubernetesSerialization().unmarshal(Binder.json(pod, "node-7"), Binding.class);
    assertEquals("v1", binding.getApiVersion());
    assertEquals("Binding", binding.getKind());
    assertEquals("ns-1", binding.getMetadata().getNamespace());
    assertEquals("web-0", binding.getMetadata().getName());
    assertEquals("0b5c\"\\\n", binding.getMetadata().getUid());
    assertEquals("Node", binding.getTarget().getKind());
    assertEquals("v1", binding.getTarget().getApiVersion());
    assertEquals("node-7", binding.getTarget().getName());
  }
}
