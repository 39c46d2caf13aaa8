package io.capstan.controllers.meta;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;
import java.util.Map;

/**
 * Whether a pod's node constraints admit a node, as upstream's required node affinity: every
 * {@code spec.nodeSelector} entry must be among the node's labels with the same value, and when
 * the pod has {@code requiredDuringSchedulingIgnoredDuringExecution} node affinity, at least one
 * of its nodeSelectorTerms must match. A term matches when all its matchExpressions hold on the
 * node's labels (In, NotIn, Exists, DoesNotExist, and Gt/Lt comparing one integer) and all its
 * matchFields hold on {@code metadata.name} (In and NotIn only); a term with neither matches no
 * node, as does an unknown operator or field. Pure.
 */
public final class NodeSelectors {
  private static final String NODE_NAME_FIELD = "metadata.name";

  private NodeSelectors() {}

  /** Whether {@code spec}'s nodeSelector and required node affinity admit this node. */
  public static boolean matches(PodSpec spec, String nodeName, Map<String, String> labels) {
    Map<String, String> have = labels == null ? Map.of() : labels;
    return LabelSelectors.containsAll(have, spec.getNodeSelector())
        && requiredAffinityMatches(spec.getAffinity(), nodeName, have);
  }

  /** Whether {@code affinity}'s required node affinity (none: every node) admits this node. */
  public static boolean requiredAffinityMatches(Affinity affinity, String nodeName, Map<String, String> labels) {
    NodeSelector required = affinity == null || affinity.getNodeAffinity() == null ? null
        : affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    if (required == null || required.getNodeSelectorTerms() == null) {
      return true;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    for (NodeSelectorTerm term : required.getNodeSelectorTerms()) {
      if (termMatches(term, nodeName, have)) {
        return true;
      }
    }
    return false;
  }

  /** Whether all of {@code term}'s requirements hold on the node; an empty term matches nothing. */
  public static boolean termMatches(NodeSelectorTerm term, String nodeName, Map<String, String> labels) {
    List<NodeSelectorRequirement> exprs = term.getMatchExpressions() == null ? List.of() : term.getMatchExpressions();
    List<NodeSelectorRequirement> fields = term.getMatchFields() == null ? List.of() : term.getMatchFields();
    if (exprs.isEmpty() && fields.isEmpty()) {
      return false;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    for (NodeSelectorRequirement r : exprs) {
      if (!holds(r, have.get(r.getKey()), have.containsKey(r.getKey()))) {
        return false;
      }
    }
    for (NodeSelectorRequirement r : fields) {
      String op = r.getOperator();
      if (!NODE_NAME_FIELD.equals(r.getKey()) || !("In".equals(op) || "NotIn".equals(op))
          || !holds(r, nodeName, true)) {
        return false;
      }
    }
    return true;
  }

  private static boolean holds(NodeSelectorRequirement r, String value, boolean present) {
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
