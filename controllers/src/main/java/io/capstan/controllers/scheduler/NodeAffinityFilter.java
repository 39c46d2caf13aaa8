package io.capstan.controllers.scheduler;

import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import java.util.List;
import java.util.Map;

/**
 * Upstream's NodeAffinity filter: the node's labels must match every {@code spec.nodeSelector}
 * entry, and, when the pod has required node affinity, at least one of its nodeSelectorTerms. A
 * term matches when all its matchExpressions (on labels: In, NotIn, Exists, DoesNotExist, Gt, Lt)
 * and all its matchFields (on {@code metadata.name}: In, NotIn) hold; a term with neither matches
 * no node.
 */
final class NodeAffinityFilter implements FilterPlugin {
  static final String REASON = "node(s) didn't match Pod's node affinity/selector";

  @Override
  public String name() {
    return "NodeAffinity";
  }

  @Override
  public List<String> filter(PodInfo pod, NodeInfo node, SchedulerCache cluster) {
    return matches(pod, node) ? List.of() : List.of(REASON);
  }

  static boolean matches(PodInfo pod, NodeInfo node) {
    Map<String, String> labels = node.labels();
    Map<String, String> selector = pod.pod.getSpec().getNodeSelector();
    if (selector != null) {
      for (Map.Entry<String, String> e : selector.entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    var affinity = pod.pod.getSpec().getAffinity();
    NodeSelector required = affinity == null || affinity.getNodeAffinity() == null ? null
        : affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    if (required == null || required.getNodeSelectorTerms() == null) {
      return true;
    }
    for (NodeSelectorTerm term : required.getNodeSelectorTerms()) {
      if (termMatches(term, node.name, labels)) {
        return true;
      }
    }
    return false;
  }

  static boolean termMatches(NodeSelectorTerm term, String nodeName, Map<String, String> labels) {
    List<NodeSelectorRequirement> exprs = term.getMatchExpressions() == null ? List.of() : term.getMatchExpressions();
    List<NodeSelectorRequirement> fields = term.getMatchFields() == null ? List.of() : term.getMatchFields();
    if (exprs.isEmpty() && fields.isEmpty()) {
      return false;
    }
    for (NodeSelectorRequirement r : exprs) {
      if (!requirementHolds(r, labels.get(r.getKey()), labels.containsKey(r.getKey()))) {
        return false;
      }
    }
    for (NodeSelectorRequirement r : fields) {
      boolean known = "metadata.name".equals(r.getKey());
      String op = r.getOperator();
      if (!known || !("In".equals(op) || "NotIn".equals(op)) || !requirementHolds(r, nodeName, true)) {
        return false;
      }
    }
    return true;
  }

  private static boolean requirementHolds(NodeSelectorRequirement r, String value, boolean present) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    switch (r.getOperator() == null ? "" : r.getOperator()) {
      case "In":
        return present && values.contains(value);
      case "NotIn":
        return !present || !values.contains(value);
      case "Exists":
        return present;
      case "DoesNotExist":
        return !present;
      case "Gt":
      case "Lt":
        if (!present || values.size() != 1) {
          return false;
        }
        try {
          long have = Long.parseLong(value);
          long bound = Long.parseLong(values.get(0));
          return r.getOperator().equals("Gt") ? have > bound : have < bound;
        } catch (NumberFormatException e) {
          return false;
        }
      default:
        return false;
    }
  }
}
