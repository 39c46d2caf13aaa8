package io.capstan.apiserver.table;

import static io.capstan.apiserver.table.Cells.text;
import static io.capstan.apiserver.table.WorkloadColumns.age;
import static io.capstan.apiserver.table.WorkloadColumns.name;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Columns of Node, Namespace, PersistentVolume and PersistentVolumeClaim. */
final class ClusterColumns {
  private ClusterColumns() {}

  static KindColumns nodes() {
    return new SimpleColumns(List.of(Column.nameColumn(),
        Column.string("Status", "Ready or NotReady, and SchedulingDisabled when cordoned."),
        Column.string("Roles", "Roles from the node-role.kubernetes.io/ labels."),
        Column.age(),
        Column.string("Version", "Kubelet version."),
        Column.wide("Internal-IP", "First internal address."),
        Column.wide("External-IP", "First external address."),
        Column.wide("OS-Image", "Operating system image."),
        Column.wide("Kernel-Version", "Kernel version."),
        Column.wide("Container-Runtime", "Container runtime and version.")),
        (node, now) -> {
          List<String> status = new ArrayList<>();
          for (JsonNode c : node.path("status").path("conditions")) {
            if (text(c, "type").equals("Ready")) {
              status.add(text(c, "status").equals("True") ? "Ready" : "NotReady");
            }
          }
          if (status.isEmpty()) {
            status.add("Unknown");
          }
          if (Cells.bool(node, "spec", "unschedulable")) {
            status.add("SchedulingDisabled");
          }
          JsonNode info = node.path("status").path("nodeInfo");
          return List.of(name(node), String.join(",", status), roles(node.path("metadata").path("labels")),
              age(node, now), text(info, "kubeletVersion"), address(node, "InternalIP"), address(node, "ExternalIP"),
              orUnknown(text(info, "osImage")), orUnknown(text(info, "kernelVersion")),
              orUnknown(text(info, "containerRuntimeVersion")));
        });
  }

  static KindColumns namespaces() {
    return new SimpleColumns(List.of(Column.nameColumn(),
        Column.string("Status", "Active or Terminating."), Column.age()),
        (ns, now) -> {
          String phase = text(ns, "status", "phase");
          if (phase.isEmpty()) {
            phase = text(ns, "metadata", "deletionTimestamp").isEmpty() ? "Active" : "Terminating";
          }
          return List.of(name(ns), phase, age(ns, now));
        });
  }

  static KindColumns persistentVolumes() {
    return new SimpleColumns(List.of(Column.nameColumn(),
        Column.string("Capacity", "Size of the volume."),
        Column.string("Access Modes", "How the volume can be mounted: RWO, ROX, RWX, RWOP."),
        Column.string("Reclaim Policy", "What happens to the volume when its claim is released."),
        Column.string("Status", "Phase of the volume."),
        Column.string("Claim", "The claim bound to the volume, as namespace/name."),
        Column.string("StorageClass", "Storage class of the volume."),
        Column.string("VolumeAttributesClass", "Volume attributes class of the volume."),
        Column.string("Reason", "Why the volume is in its phase."),
        Column.age(),
        Column.wide("VolumeMode", "Filesystem or Block.")),
        (pv, now) -> {
          JsonNode spec = pv.path("spec");
          JsonNode claim = spec.path("claimRef");
          String claimText = claim.isObject() ? text(claim, "namespace") + "/" + text(claim, "name") : "";
          String phase = text(pv, "metadata", "deletionTimestamp").isEmpty() ? text(pv, "status", "phase") : "Terminating";
          return List.of(name(pv), text(spec, "capacity", "storage"), accessModes(spec.path("accessModes")),
              text(spec, "persistentVolumeReclaimPolicy"), phase, claimText, storageClass(pv),
              orUnset(text(spec, "volumeAttributesClassName")), text(pv, "status", "reason"), age(pv, now),
              orUnset(text(spec, "volumeMode")));
        });
  }

  static KindColumns persistentVolumeClaims() {
    return new SimpleColumns(List.of(Column.nameColumn(),
        Column.string("Status", "Phase of the claim."),
        Column.string("Volume", "The volume bound to the claim."),
        Column.string("Capacity", "Size of the bound volume."),
        Column.string("Access Modes", "Access modes of the bound volume."),
        Column.string("StorageClass", "Storage class of the claim."),
        Column.string("VolumeAttributesClass", "Volume attributes class of the claim."),
        Column.age(),
        Column.wide("VolumeMode", "Filesystem or Block.")),
        (pvc, now) -> {
          JsonNode spec = pvc.path("spec");
          String phase = text(pvc, "metadata", "deletionTimestamp").isEmpty() ? text(pvc, "status", "phase") : "Terminating";
          boolean bound = !text(spec, "volumeName").isEmpty();
          return List.of(name(pvc), phase, text(spec, "volumeName"),
              bound ? text(pvc, "status", "capacity", "storage") : "",
              bound ? accessModes(pvc.path("status").path("accessModes")) : "", storageClass(pvc),
              orUnset(text(spec, "volumeAttributesClassName")), age(pvc, now), orUnset(text(spec, "volumeMode")));
        });
  }

  private static String roles(JsonNode labels) {
    Set<String> roles = new TreeSet<>();
    labels.properties().forEach(e -> {
      String k = e.getKey();
      if (k.startsWith("node-role.kubernetes.io/") && k.length() > "node-role.kubernetes.io/".length()) {
        roles.add(k.substring("node-role.kubernetes.io/".length()));
      } else if (k.equals("kubernetes.io/role") && !e.getValue().asText().isEmpty()) {
        roles.add(e.getValue().asText());
      }
    });
    return roles.isEmpty() ? Cells.NONE : String.join(",", roles);
  }

  private static String address(JsonNode node, String type) {
    for (JsonNode a : node.path("status").path("addresses")) {
      if (text(a, "type").equals(type)) {
        return text(a, "address");
      }
    }
    return Cells.NONE;
  }

  private static String accessModes(JsonNode modes) {
    List<String> present = Cells.strings(modes);
    List<String> out = new ArrayList<>();
    String[][] abbreviations = {{"ReadWriteOnce", "RWO"}, {"ReadOnlyMany", "ROX"}, {"ReadWriteMany", "RWX"},
        {"ReadWriteOncePod", "RWOP"}};
    for (String[] a : abbreviations) {
      if (present.contains(a[0])) {
        out.add(a[1]);
      }
    }
    return String.join(",", out);
  }

  private static String storageClass(JsonNode obj) {
    String annotation = text(obj, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class");
    return annotation.isEmpty() ? text(obj, "spec", "storageClassName") : annotation;
  }

  private static String orUnknown(String s) {
    return s.isEmpty() ? Cells.UNKNOWN : s;
  }

  private static String orUnset(String s) {
    return s.isEmpty() ? "<unset>" : s;
  }
}
