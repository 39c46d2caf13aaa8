package io.capstan.controllers.scheduler;

import io.capstan.controllers.meta.OwnerReferences;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the scheduler needs of a pod, computed once: its resource requests (the sum over
 * containers, at least the largest init container, plus overhead), the same with kube-scheduler's
 * non-zero defaults for scoring (100m cpu, 200 MiB memory for a container without requests), its
 * host ports, controller owner, tolerations and required pod anti-affinity terms.
 */
final class PodInfo {
  /** As kube-scheduler's DefaultMilliCPURequest and DefaultMemoryRequest, used for scoring only. */
  static final long DEFAULT_MILLI_CPU = 100;
  static final long DEFAULT_MEMORY = 200L * 1024 * 1024;

  final Pod pod;
  final String uid;
  final String namespace;
  final String name;
  final Map<String, String> labels;
  final Resources requests = new Resources();
  final Resources nonZeroRequests = new Resources();
  final List<HostPort> hostPorts = new ArrayList<>();
  final String ownerUid;
  final List<Toleration> tolerations;
  final List<PodAffinityTerm> antiAffinity;

  PodInfo(Pod pod) {
    this.pod = pod;
    this.uid = pod.getMetadata().getUid();
    this.namespace = pod.getMetadata().getNamespace();
    this.name = pod.getMetadata().getName();
    this.labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    this.ownerUid = OwnerReferences.controllerOf(pod).map(OwnerReference::getUid).orElse(null);
    PodSpec spec = pod.getSpec();
    this.tolerations = spec.getTolerations() == null ? List.of() : spec.getTolerations();
    var affinity = spec.getAffinity();
    var anti = affinity == null ? null : affinity.getPodAntiAffinity();
    this.antiAffinity = anti == null || anti.getRequiredDuringSchedulingIgnoredDuringExecution() == null
        ? List.of() : anti.getRequiredDuringSchedulingIgnoredDuringExecution();
    for (Container c : orEmpty(spec.getContainers())) {
      requests.add(requestsOf(c));
      nonZeroRequests.add(nonZero(requestsOf(c)));
      for (ContainerPort p : orEmpty(c.getPorts())) {
        if (p.getHostPort() != null && p.getHostPort() > 0) {
          hostPorts.add(HostPort.of(p.getHostIP(), p.getProtocol(), p.getHostPort()));
        }
      }
    }
    for (Container c : orEmpty(spec.getInitContainers())) {
      requests.max(requestsOf(c));
      nonZeroRequests.max(nonZero(requestsOf(c)));
    }
    if (spec.getOverhead() != null) {
      Resources overhead = Resources.of(spec.getOverhead());
      requests.add(overhead);
      nonZeroRequests.add(overhead);
    }
  }

  String key() {
    return namespace + "/" + name;
  }

  /** A container's requests; a resource with only a limit requests its limit (the API's default). */
  private static Resources requestsOf(Container c) {
    ResourceRequirements rr = c.getResources();
    if (rr == null) {
      return new Resources();
    }
    Resources r = Resources.of(rr.getLimits());
    Map<String, Quantity> requests = rr.getRequests();
    if (requests != null) {
      requests.forEach(r::set);
    }
    return r;
  }

  private static Resources nonZero(Resources r) {
    Resources out = new Resources();
    out.milliCpu = r.milliCpu == 0 ? DEFAULT_MILLI_CPU : r.milliCpu;
    out.memory = r.memory == 0 ? DEFAULT_MEMORY : r.memory;
    return out;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
