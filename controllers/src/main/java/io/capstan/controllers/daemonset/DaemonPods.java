package io.capstan.controllers.daemonset;

import io.capstan.controllers.pods.PodTemplates;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeAffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pods of a DaemonSet, as upstream's daemon controller makes them: the template with the
 * daemon tolerations added (so node conditions never evict or block them), the labels {@code
 * controller-revision-hash} and {@code pod-template-generation}, and pinned to one node through a
 * required node affinity {@code matchFields metadata.name In [node]} that replaces the template's
 * required node affinity, for the scheduler to bind. Pure.
 */
final class DaemonPods {
  static final String HASH_LABEL = "controller-revision-hash";
  static final String GENERATION_LABEL = "pod-template-generation";
  static final String TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";

  /** The taints every daemon pod tolerates (key, effect), as upstream's AddOrUpdateDaemonPodTolerations. */
  private static final List<String[]> DAEMON_TOLERATIONS = List.of(
      new String[] {"node.kubernetes.io/not-ready", "NoExecute"},
      new String[] {"node.kubernetes.io/unreachable", "NoExecute"},
      new String[] {"node.kubernetes.io/disk-pressure", "NoSchedule"},
      new String[] {"node.kubernetes.io/memory-pressure", "NoSchedule"},
      new String[] {"node.kubernetes.io/pid-pressure", "NoSchedule"},
      new String[] {"node.kubernetes.io/unschedulable", "NoSchedule"});
  private static final String[] NETWORK_UNAVAILABLE = {"node.kubernetes.io/network-unavailable", "NoSchedule"};

  private DaemonPods() {}

  /** The template's pod spec with the daemon tolerations, used for both eligibility and creation. */
  static PodSpec specWithTolerations(DaemonSet ds) {
    PodSpec spec = new PodSpecBuilder(ds.getSpec().getTemplate().getSpec()).build();
    List<Toleration> tolerations = new ArrayList<>(spec.getTolerations() == null ? List.of() : spec.getTolerations());
    List<String[]> wanted = new ArrayList<>(DAEMON_TOLERATIONS);
    if (Boolean.TRUE.equals(spec.getHostNetwork())) {
      wanted.add(NETWORK_UNAVAILABLE);
    }
    for (String[] kv : wanted) {
      // Add or update: a toleration of the same key and effect is replaced by the unbounded one.
      tolerations.removeIf(t -> kv[0].equals(t.getKey()) && kv[1].equals(t.getEffect()));
      tolerations.add(new TolerationBuilder().withKey(kv[0]).withOperator("Exists").withEffect(kv[1]).build());
    }
    spec.setTolerations(tolerations);
    return spec;
  }

  /** A new daemon pod of {@code ds} for {@code node}, made by the revision with {@code hash}. */
  static Pod newPod(DaemonSet ds, String hash, String node) {
    Pod base = PodTemplates.newPod(ds, ds.getSpec().getTemplate());
    Map<String, String> labels = new LinkedHashMap<>(base.getMetadata().getLabels() == null
        ? Map.of() : base.getMetadata().getLabels());
    String generation = templateGeneration(ds);
    if (generation != null) {
      labels.put(GENERATION_LABEL, generation);
    }
    labels.put(HASH_LABEL, hash);
    PodSpec spec = specWithTolerations(ds);
    spec.setAffinity(pinned(spec.getAffinity(), node));
    return new PodBuilder(base)
        .editMetadata().withGenerateName(ds.getMetadata().getName() + "-").withLabels(labels).endMetadata()
        .withSpec(spec)
        .build();
  }

  /** {@code affinity} with its required node affinity replaced by one naming {@code node}. */
  static Affinity pinned(Affinity affinity, String node) {
    NodeSelector selector = new NodeSelectorBuilder().addNewNodeSelectorTerm()
        .addNewMatchField().withKey("metadata.name").withOperator("In").withValues(node).endMatchField()
        .endNodeSelectorTerm().build();
    AffinityBuilder b = affinity == null ? new AffinityBuilder() : new AffinityBuilder(affinity);
    if (affinity == null || affinity.getNodeAffinity() == null) {
      return b.withNodeAffinity(new NodeAffinityBuilder().withRequiredDuringSchedulingIgnoredDuringExecution(selector)
          .build()).build();
    }
    return b.editNodeAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(selector).endNodeAffinity().build();
  }

  /**
   * The node a daemon pod is for: {@code spec.nodeName} once bound, else the {@code metadata.name}
   * its required node affinity names; null when neither says.
   */
  static String targetNode(Pod pod) {
    PodSpec spec = pod.getSpec();
    if (spec == null) {
      return null;
    }
    if (spec.getNodeName() != null && !spec.getNodeName().isEmpty()) {
      return spec.getNodeName();
    }
    if (spec.getAffinity() == null || spec.getAffinity().getNodeAffinity() == null
        || spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return null;
    }
    NodeSelector required = spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    for (NodeSelectorTerm term : required.getNodeSelectorTerms() == null ? List.<NodeSelectorTerm>of()
        : required.getNodeSelectorTerms()) {
      for (NodeSelectorRequirement r : term.getMatchFields() == null ? List.<NodeSelectorRequirement>of()
          : term.getMatchFields()) {
        if ("metadata.name".equals(r.getKey()) && "In".equals(r.getOperator()) && r.getValues() != null
            && r.getValues().size() == 1) {
          return r.getValues().get(0);
        }
      }
    }
    return null;
  }

  /** Whether {@code pod} is of the current template: its hash label matches. */
  static boolean isUpdated(Pod pod, String hash) {
    Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    return hash.equals(labels.get(HASH_LABEL));
  }

  /**
   * The value of the {@code pod-template-generation} label: the {@code
   * deprecated.daemonset.template.generation} annotation where the API server keeps it, else the
   * DaemonSet's generation.
   */
  private static String templateGeneration(DaemonSet ds) {
    Map<String, String> annotations = ds.getMetadata().getAnnotations();
    String annotated = annotations == null ? null : annotations.get(TEMPLATE_GENERATION_ANNOTATION);
    if (annotated != null) {
      return annotated;
    }
    return ds.getMetadata().getGeneration() == null ? null : Long.toString(ds.getMetadata().getGeneration());
  }
}
