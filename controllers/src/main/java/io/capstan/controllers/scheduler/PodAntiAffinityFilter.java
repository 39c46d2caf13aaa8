package io.capstan.controllers.scheduler;

import io.capstan.controllers.meta.LabelSelectors;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import java.util.List;

/**
 * The required pod anti-affinity half of upstream's InterPodAffinity filter, in both directions
 * and in upstream's order: the node is rejected when a pod in its topology domain (nodes with the same value of the term's
 * {@code topologyKey} label) matches one of the incoming pod's terms, or when a pod already placed
 * has a term that matches the incoming pod and that pod's domain is this node's. A node without
 * the topology label is outside every domain of that key.
 *
 * <p>A term's namespaces are its {@code namespaces} list, all namespaces when {@code
 * namespaceSelector} is empty ({@code {}}), and otherwise the namespace of the pod that has the
 * term; a non-empty namespaceSelector is not evaluated (no namespace labels in the cache).
 */
final class PodAntiAffinityFilter implements FilterPlugin {
  static final String EXISTING = "node(s) didn't satisfy existing pods anti-affinity rules";
  static final String INCOMING = "node(s) didn't match pod anti-affinity rules";

  @Override
  public String name() {
    return "InterPodAffinity";
  }

  @Override
  public boolean resolvableByPreemption() {
    return true;
  }

  @Override
  public List<String> filter(PodInfo pod, NodeInfo node, SchedulerCache cluster) {
    for (PodAffinityTerm term : pod.antiAffinity) {
      String key = term.getTopologyKey();
      if (key == null || !node.labels().containsKey(key)) {
        continue;
      }
      for (NodeInfo other : cluster.nodes()) {
        if (!sameDomain(key, node, other)) {
          continue;
        }
        for (PodInfo placed : other.pods.values()) {
          if (!placed.uid.equals(pod.uid) && termSelects(term, pod.namespace, placed)) {
            return List.of(INCOMING);
          }
        }
      }
    }
    for (PodInfo existing : cluster.podsWithAntiAffinity()) {
      NodeInfo where = cluster.nodeOf(existing.uid);
      if (where == null) {
        continue;
      }
      for (PodAffinityTerm term : existing.antiAffinity) {
        if (sameDomain(term.getTopologyKey(), where, node) && termSelects(term, existing.namespace, pod)) {
          return List.of(EXISTING);
        }
      }
    }
    return List.of();
  }

  static boolean sameDomain(String key, NodeInfo a, NodeInfo b) {
    if (key == null || key.isEmpty()) {
      return false;
    }
    String va = a.labels().get(key);
    return va != null && va.equals(b.labels().get(key));
  }

  /** Whether {@code term}, belonging to a pod in {@code ownNamespace}, selects {@code target}. */
  static boolean termSelects(PodAffinityTerm term, String ownNamespace, PodInfo target) {
    boolean inNamespace;
    List<String> namespaces = term.getNamespaces() == null ? List.of() : term.getNamespaces();
    var nsSelector = term.getNamespaceSelector();
    boolean allNamespaces = nsSelector != null && (nsSelector.getMatchLabels() == null || nsSelector.getMatchLabels().isEmpty())
        && (nsSelector.getMatchExpressions() == null || nsSelector.getMatchExpressions().isEmpty());
    if (allNamespaces) {
      inNamespace = true;
    } else if (!namespaces.isEmpty()) {
      inNamespace = namespaces.contains(target.namespace);
    } else {
      inNamespace = ownNamespace.equals(target.namespace);
    }
    return inNamespace && LabelSelectors.matches(term.getLabelSelector(), target.labels);
  }
}
