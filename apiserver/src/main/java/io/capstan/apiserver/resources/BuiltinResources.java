package io.capstan.apiserver.resources;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Set;

/** The built-in kinds, with the names, scopes and storage prefixes Kubernetes v1.32 uses. */
final class BuiltinResources {
  private BuiltinResources() {}

  static List<ResourceType> all() {
    return List.of(
        core("Namespace", "namespaces", false, List.of("ns"), List.of(), Set.of("status", "finalize"), "namespaces", Namespace.class, false),
        core("Pod", "pods", true, List.of("po"), List.of("all"), Set.of("status", "binding", "log", "exec", "attach", "portforward", "eviction", "ephemeralcontainers"), "pods", Pod.class, false),
        core("Service", "services", true, List.of("svc"), List.of("all"), Set.of("status", "proxy"), "services/specs", Service.class, false),
        core("Endpoints", "endpoints", true, List.of("ep"), List.of(), Set.of(), "services/endpoints", Endpoints.class, false),
        core("ConfigMap", "configmaps", true, List.of("cm"), List.of(), Set.of(), "configmaps", ConfigMap.class, false),
        core("Secret", "secrets", true, List.of(), List.of(), Set.of(), "secrets", Secret.class, false),
        core("Node", "nodes", false, List.of("no"), List.of(), Set.of("status", "proxy"), "minions", Node.class, false),
        core("Event", "events", true, List.of("ev"), List.of(), Set.of(), "events", Event.class, false),
        core("ServiceAccount", "serviceaccounts", true, List.of("sa"), List.of(), Set.of(), "serviceaccounts", ServiceAccount.class, false),
        core("PersistentVolume", "persistentvolumes", false, List.of("pv"), List.of(), Set.of("status"), "persistentvolumes", PersistentVolume.class, false),
        core("PersistentVolumeClaim", "persistentvolumeclaims", true, List.of("pvc"), List.of(), Set.of("status"), "persistentvolumeclaims", PersistentVolumeClaim.class, false),
        type("apps", "Deployment", "deployments", true, List.of("deploy"), List.of("all"), Set.of("status", "scale"), "deployments", Deployment.class, true),
        type("apps", "ReplicaSet", "replicasets", true, List.of("rs"), List.of("all"), Set.of("status", "scale"), "replicasets", ReplicaSet.class, true),
        type("apps", "StatefulSet", "statefulsets", true, List.of("sts"), List.of("all"), Set.of("status", "scale"), "statefulsets", StatefulSet.class, true),
        type("apps", "DaemonSet", "daemonsets", true, List.of("ds"), List.of("all"), Set.of("status"), "daemonsets", DaemonSet.class, true),
        type("apps", "ControllerRevision", "controllerrevisions", true, List.of(), List.of(), Set.of(), "controllerrevisions", ControllerRevision.class, false),
        type("batch", "Job", "jobs", true, List.of(), List.of("all"), Set.of("status"), "jobs", Job.class, true),
        type("batch", "CronJob", "cronjobs", true, List.of("cj"), List.of("all"), Set.of("status"), "cronjobs", CronJob.class, true),
        type("coordination.k8s.io", "Lease", "leases", true, List.of(), List.of(), Set.of(), "leases", Lease.class, false),
        type("discovery.k8s.io", "EndpointSlice", "endpointslices", true, List.of(), List.of(), Set.of(), "endpointslices", EndpointSlice.class, false),
        type("events.k8s.io", "Event", "events", true, List.of("ev"), List.of(), Set.of(), "events.k8s.io/events", io.fabric8.kubernetes.api.model.events.v1.Event.class, false),
        type("apiextensions.k8s.io", "CustomResourceDefinition", "customresourcedefinitions", false, List.of("crd", "crds"), List.of("api-extensions"), Set.of("status"), "apiextensions.k8s.io/customresourcedefinitions", io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class, true),
        type("authorization.k8s.io", "SelfSubjectAccessReview", "selfsubjectaccessreviews", false, List.of(), List.of(), Set.of(), "authorization.k8s.io/selfsubjectaccessreviews", io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview.class, false));
  }

  private static ResourceType core(String kind, String plural, boolean namespaced, List<String> shortNames,
      List<String> categories, Set<String> subresources, String storagePrefix, Class<?> model, boolean generation) {
    return type("", kind, plural, namespaced, shortNames, categories, subresources, storagePrefix, model, generation);
  }

  private static ResourceType type(String group, String kind, String plural, boolean namespaced,
      List<String> shortNames, List<String> categories, Set<String> subresources, String storagePrefix,
      Class<?> model, boolean generation) {
    return new ResourceType(group, "v1", kind, plural, kind.toLowerCase(java.util.Locale.ROOT), namespaced,
        shortNames, categories, subresources, storagePrefix, model, generation);
  }
}
