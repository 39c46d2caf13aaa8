package io.capstan.apiserver.registry.strategy;

import io.capstan.apiserver.validation.Names;
import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Validation of a pod spec, for pods ({@code pod == true}) and for workload pod templates. */
final class PodSpecValidation {
  static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
  private static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default",
      "None");
  private static final List<String> PREEMPTION = List.of("PreemptLowerPriority", "Never");

  private PodSpecValidation() {}

  static List<FieldError> validate(JsonNode spec, String path, boolean pod) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode grace = spec.get("terminationGracePeriodSeconds");
    if (!Checks.present(grace)) {
      errs.add(FieldError.required(path + ".terminationGracePeriodSeconds", ""));
    } else {
      Checks.nonNegative(spec, "terminationGracePeriodSeconds", path + ".terminationGracePeriodSeconds", errs);
    }
    Set<String> volumes = Volumes.validate(spec.path("volumes"), path + ".volumes", errs);
    containers(spec, path, volumes, pod, errs);
    hostNetworkPorts(spec, path, pod, errs);
    String restart = Checks.text(spec, "restartPolicy");
    if (restart.isEmpty()) {
      errs.add(FieldError.required(path + ".restartPolicy", ""));
    } else if (!RESTART_POLICIES.contains(restart)) {
      errs.add(FieldError.notSupported(path + ".restartPolicy", restart, RESTART_POLICIES));
    }
    String dns = Checks.text(spec, "dnsPolicy");
    if (dns.isEmpty()) {
      errs.add(FieldError.required(path + ".dnsPolicy", ""));
    } else if (!DNS_POLICIES.contains(dns)) {
      errs.add(FieldError.notSupported(path + ".dnsPolicy", dns, DNS_POLICIES));
    }
    errs.addAll(MetadataValidation.labels(spec.get("nodeSelector"), path + ".nodeSelector"));
    JsonNode sc = spec.path("securityContext");
    for (String id : List.of("runAsUser", "runAsGroup", "fsGroup")) {
      ContainerValidation.idRange(sc, id, path + ".securityContext", errs);
    }
    dnsConfig(spec, dns, path + ".dnsConfig", errs);
    subdomainName(spec, "serviceAccountName", path, errs);
    subdomainName(spec, "nodeName", path, errs);
    JsonNode deadline = spec.get("activeDeadlineSeconds");
    if (Checks.present(deadline)
        && (!deadline.isIntegralNumber() || deadline.asLong() < 1 || deadline.asLong() > Checks.MAX_INT32)) {
      errs.add(FieldError.invalid(path + ".activeDeadlineSeconds", Checks.raw(deadline.asText()),
          Checks.rangeError(1, Checks.MAX_INT32)));
    }
    for (String f : List.of("hostname", "subdomain")) {
      String v = Checks.text(spec, f);
      if (!v.isEmpty()) {
        errs.addAll(Names.check(path + "." + f, v, Names.Format.LABEL));
      }
    }
    Tolerations.validate(spec.path("tolerations"), path + ".tolerations", errs);
    subdomainName(spec, "priorityClassName", path, errs);
    String preemption = Checks.text(spec, "preemptionPolicy");
    if (Checks.present(spec.get("preemptionPolicy")) && !PREEMPTION.contains(preemption)) {
      errs.add(FieldError.notSupported(path + ".preemptionPolicy", preemption, PREEMPTION));
    }
    return errs;
  }

  private static void containers(JsonNode spec, String path, Set<String> volumes, boolean pod,
      List<FieldError> errs) {
    JsonNode containers = spec.path("containers");
    Set<String> names = new HashSet<>();
    if (!containers.isArray() || containers.isEmpty()) {
      errs.add(FieldError.required(path + ".containers", ""));
    } else {
      for (int i = 0; i < containers.size(); i++) {
        String at = path + ".containers[" + i + "]";
        ContainerValidation.validate(containers.get(i), at, volumes, false, pod, errs);
        String name = Checks.text(containers.get(i), "name");
        if (!names.add(name)) {
          errs.add(FieldError.duplicate(at + ".name", name));
        }
      }
      hostPortConflicts(containers, path + ".containers", errs);
    }
    JsonNode inits = spec.path("initContainers");
    for (int i = 0; i < inits.size(); i++) {
      String at = path + ".initContainers[" + i + "]";
      ContainerValidation.validate(inits.get(i), at, volumes, true, pod, errs);
      String name = Checks.text(inits.get(i), "name");
      if (names.contains(name)) {
        errs.add(FieldError.duplicate(at + ".name", name));
      } else if (!name.isEmpty()) {
        names.add(name);
      }
      hostPorts(inits.get(i), at, new HashSet<>(), errs);
    }
  }

  /**
   * Host ports (with protocol and host IP) may be used once across the regular containers; init
   * containers run one at a time, so each is checked on its own.
   */
  private static void hostPortConflicts(JsonNode containers, String path, List<FieldError> errs) {
    Set<String> seen = new HashSet<>();
    for (int ci = 0; ci < containers.size(); ci++) {
      hostPorts(containers.get(ci), path + "[" + ci + "]", seen, errs);
    }
  }

  private static void hostPorts(JsonNode c, String path, Set<String> seen, List<FieldError> errs) {
    JsonNode ports = c.path("ports");
    for (int pi = 0; pi < ports.size(); pi++) {
      JsonNode p = ports.get(pi);
      long hostPort = p.path("hostPort").asLong(0);
      if (hostPort == 0) {
        continue;
      }
      String key = Checks.text(p, "hostIP") + "/" + Checks.text(p, "protocol") + "/" + hostPort;
      if (!seen.add(key)) {
        errs.add(FieldError.duplicate(path + ".ports[" + pi + "].hostPort", key));
      }
    }
  }

  /** With hostNetwork, a pod's host ports equal its container ports (templates may leave 0). */
  private static void hostNetworkPorts(JsonNode spec, String path, boolean pod, List<FieldError> errs) {
    if (!spec.path("hostNetwork").asBoolean(false)) {
      return;
    }
    JsonNode containers = spec.path("containers");
    for (int i = 0; i < containers.size(); i++) {
      JsonNode ports = containers.get(i).path("ports");
      for (int j = 0; j < ports.size(); j++) {
        long hp = ports.get(j).path("hostPort").asLong(0);
        long cp = ports.get(j).path("containerPort").asLong(0);
        if ((pod || hp != 0) && hp != cp) {
          errs.add(FieldError.invalid(path + ".containers[" + i + "].ports[" + j + "].hostPort", hp,
              "must match `containerPort` when `hostNetwork` is true"));
        }
      }
    }
  }

  private static void dnsConfig(JsonNode spec, String dnsPolicy, String path, List<FieldError> errs) {
    JsonNode config = spec.get("dnsConfig");
    if (dnsPolicy.equals("None")) {
      if (!Checks.present(config)) {
        errs.add(FieldError.required(path, "must provide `dnsConfig` when `dnsPolicy` is None"));
        return;
      }
      if (config.path("nameservers").isEmpty()) {
        errs.add(FieldError.required(path + ".nameservers",
            "must provide at least one DNS nameserver when `dnsPolicy` is None"));
        return;
      }
    }
    if (!Checks.present(config)) {
      return;
    }
    JsonNode nameservers = config.path("nameservers");
    if (nameservers.size() > 3) {
      errs.add(FieldError.invalid(path + ".nameservers", Checks.json(nameservers), "must not have more than 3 nameservers"));
    }
    for (int i = 0; i < nameservers.size(); i++) {
      String ns = nameservers.get(i).asText();
      if (!Checks.isIp(ns)) {
        errs.add(FieldError.invalid(path + ".nameservers[" + i + "]", ns, Checks.ipError()));
      }
    }
    JsonNode options = config.path("options");
    for (int i = 0; i < options.size(); i++) {
      if (Checks.text(options.get(i), "name").isEmpty()) {
        errs.add(FieldError.required(path + ".options[" + i + "]", "must not be empty"));
      }
    }
  }

  private static void subdomainName(JsonNode spec, String field, String path, List<FieldError> errs) {
    String v = Checks.text(spec, field);
    if (!v.isEmpty()) {
      errs.addAll(Names.check(path + "." + field, v, Names.Format.SUBDOMAIN));
    }
  }
}
