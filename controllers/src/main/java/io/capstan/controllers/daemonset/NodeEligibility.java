package io.capstan.controllers.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a DaemonSet's pod belongs on a node, as upstream's {@code NodeShouldRunDaemonPod}: the
 * pod (with the daemon tolerations added) must fit the node's name ({@code spec.nodeName}), its
 * labels ({@code nodeSelector} and the required node affinity) and its taints. A pod that does
 * not tolerate a NoSchedule taint is not started there but one already running may stay; a
 * NoExecute taint, or a selector that stops matching, removes it. Pure.
 */
final class NodeEligibility {
  /**
   * @param shouldRun a daemon pod should be created on the node
   * @param shouldContinueRunning a daemon pod already on the node may stay
   */
  record Verdict(boolean shouldRun, boolean shouldContinueRunning) {}

  private NodeEligibility() {}

  static Verdict of(Node node, PodSpec spec) {
    String name = node.getMetadata().getName();
    if (spec.getNodeName() != null && !spec.getNodeName().isEmpty() && !spec.getNodeName().equals(name)) {
      return new Verdict(false, false);
    }
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    if (!selectorMatches(spec.getNodeSelector(), labels) || !affinityMatches(spec, name, labels)) {
      return new Verdict(false, false);
    }
    boolean run = true;
    List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null
        ? List.of() : node.getSpec().getTaints();
    for (Taint taint : taints) {
      boolean noExecute = "NoExecute".equals(taint.getEffect());
      if (!noExecute && !"NoSchedule".equals(taint.getEffect())) {
        continue;
      }
      if (!tolerated(taint, spec.getTolerations())) {
        if (noExecute) {
          return new Verdict(false, false);
        }
        run = false;
      }
    }
    return new Verdict(run, true);
  }

  private static boolean selectorMatches(Map<String, String> selector, Map<String, String> labels) {
    return selector == null || selector.entrySet().stream().allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
  }

  /** The required node affinity: any term matches, a term when all its requirements hold. */
  private static boolean affinityMatches(PodSpec spec, String nodeName, Map<String, String> labels) {
    if (spec.getAffinity() == null || spec.getAffinity().getNodeAffinity() == null) {
      return true;
    }
    NodeSelector required = spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    if (required == null || required.getNodeSelectorTerms() == null) {
      return true;
    }
    for (NodeSelectorTerm term : required.getNodeSelectorTerms()) {
      List<NodeSelectorRequirement> exprs = term.getMatchExpressions() == null ? List.of() : term.getMatchExpressions();
      List<NodeSelectorRequirement> fields = term.getMatchFields() == null ? List.of() : term.getMatchFields();
      if (exprs.isEmpty() && fields.isEmpty()) {
        continue; // an empty term matches nothing
      }
      boolean all = exprs.stream().allMatch(r -> holds(r, labels.get(r.getKey()), labels.containsKey(r.getKey())))
          && fields.stream().allMatch(r -> "metadata.name".equals(r.getKey()) && holds(r, nodeName, true));
      if (all) {
        return true;
      }
    }
    return false;
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
          long want = Long.parseLong(values.get(0));
          return "Gt".equals(r.getOperator()) ? have > want : have < want;
        } catch (NumberFormatException e) {
          return false;
        }
      default:
        return false;
    }
  }

  /** Whether some toleration tolerates {@code taint}, as upstream's {@code ToleratesTaint}. */
  static boolean tolerated(Taint taint, List<Toleration> tolerations) {
    if (tolerations == null) {
      return false;
    }
    for (Toleration t : tolerations) {
      if (t.getEffect() != null && !t.getEffect().isEmpty() && !t.getEffect().equals(taint.getEffect())) {
        continue;
      }
      boolean emptyKey = t.getKey() == null || t.getKey().isEmpty();
      if (!emptyKey && !t.getKey().equals(taint.getKey())) {
        continue;
      }
      String op = t.getOperator() == null || t.getOperator().isEmpty() ? "Equal" : t.getOperator();
      if ("Exists".equals(op)) {
        return true;
      }
      if ("Equal".equals(op) && !emptyKey
          && Objects.equals(t.getValue() == null ? "" : t.getValue(), taint.getValue() == null ? "" : taint.getValue())) {
        return true;
      }
    }
    return false;
  }
}
