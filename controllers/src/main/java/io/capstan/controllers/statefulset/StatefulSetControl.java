package io.capstan.controllers.statefulset;

import io.capstan.controllers.meta.OwnerReferences;
import io.capstan.controllers.pods.ActivePods;
import io.capstan.controllers.pods.Expectations;
import io.capstan.controllers.runtime.Request;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One pass of StatefulSet pod management, as upstream's {@code updateStatefulSet}: pods whose
 * ordinal is in {@code [start, start+replicas)} are replicas, the others are condemned.
 *
 * <ol>
 *   <li>Replicas, lowest ordinal first: a finished (Failed, Succeeded) pod is deleted, to be
 *       recreated; a missing pod is created, after its PersistentVolumeClaims; a pod without its
 *       identity labels gets them.
 *   <li>Condemned pods, highest ordinal first, are deleted.
 *   <li>RollingUpdate: from the highest ordinal down to the partition, the first pod not of the
 *       update revision is deleted (it comes back on a later pass at the update revision); an
 *       updated pod that is not yet Running and Ready stops the walk.
 * </ol>
 *
 * <p>With {@code podManagementPolicy: OrderedReady} every step waits: a pass stops after its
 * first write, and at any pod that is not Running and Ready or is terminating, so pod {@code i}
 * is created only once {@code 0..i-1} are Running and Ready, and scale-down removes one pod at a
 * time, waiting for it to go. With {@code Parallel} steps 1 and 2 act on all pods at once.
 */
final class StatefulSetControl {
  private static final Logger LOG = Logger.getLogger(StatefulSetControl.class);
  private static final PatchContext STRATEGIC = PatchContext.of(PatchType.STRATEGIC_MERGE);

  /** A revision's name and the pod template it holds. */
  record Revision(String name, PodTemplateSpec template) {}

  private final KubernetesClient client;
  private final Expectations expectations;

  StatefulSetControl(KubernetesClient client, Expectations expectations) {
    this.client = client;
    this.expectations = expectations;
  }

  /** Runs one pass over the pods {@code set} owns; stops early where the policy says to wait. */
  void sync(Request key, StatefulSet set, List<Pod> pods, Revision current, Revision update, Instant now) {
    int start = StatefulPods.startOrdinal(set);
    int n = StatefulPods.replicas(set);
    Pod[] replicas = new Pod[n];
    List<Pod> condemned = new ArrayList<>();
    for (Pod pod : pods) {
      int ord = StatefulPods.ordinal(set, pod);
      if (ord < 0) {
        continue;
      }
      if (ord >= start && ord < start + n) {
        replicas[ord - start] = pod;
      } else {
        condemned.add(pod);
      }
    }
    condemned.sort(Comparator.comparingInt((Pod p) -> StatefulPods.ordinal(set, p)));
    boolean monotonic = !"Parallel".equals(set.getSpec().getPodManagementPolicy());
    Pod firstUnhealthy = null;
    for (Pod pod : concat(replicas, condemned)) {
      if (pod != null && !healthy(pod)) {
        firstUnhealthy = pod;
        break;
      }
    }
    int minReady = set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
    for (int i = 0; i < n; i++) {
      int ord = start + i;
      Pod pod = replicas[i];
      if (pod != null && ActivePods.isFinished(pod) && !ActivePods.isTerminating(pod)) {
        LOG.debugf("deleting finished pod namespace=%s name=%s", key.namespace(), pod.getMetadata().getName());
        delete(key, pod);
        if (monotonic) {
          return;
        }
        continue;
      }
      if (pod == null) {
        Revision revision = revisionFor(set, ord, start, current, update);
        createClaims(set, ord);
        create(key, StatefulPods.newPod(set, revision.template(), revision.name(), ord));
        if (monotonic) {
          return;
        }
        continue;
      }
      if (ActivePods.isTerminating(pod) || !ActivePods.isRunningAndReady(pod)
          || !ActivePods.isAvailable(pod, minReady, now)) {
        if (monotonic) {
          return;
        }
        continue;
      }
      if (!StatefulPods.identityMatches(set, pod, ord)) {
        patchPod(pod, Map.of("metadata", Map.of("labels", Map.of(
            StatefulPods.POD_NAME_LABEL, pod.getMetadata().getName(),
            StatefulPods.POD_INDEX_LABEL, Integer.toString(ord)))));
      }
    }
    for (int t = condemned.size() - 1; t >= 0; t--) {
      Pod pod = condemned.get(t);
      if (ActivePods.isTerminating(pod)) {
        if (monotonic) {
          return;
        }
        continue;
      }
      if (monotonic && !ActivePods.isRunningAndReady(pod) && pod != firstUnhealthy) {
        return;
      }
      LOG.debugf("deleting condemned pod namespace=%s name=%s", key.namespace(), pod.getMetadata().getName());
      delete(key, pod);
      if (monotonic) {
        return;
      }
    }
    if (!StatefulSetStatuses.isRollingUpdate(set)) {
      return;
    }
    for (int i = n - 1; i >= partition(set); i--) {
      Pod pod = replicas[i];
      if (pod == null) {
        return;
      }
      if (!update.name().equals(StatefulPods.revision(pod)) && !ActivePods.isTerminating(pod)) {
        LOG.debugf("rolling pod namespace=%s name=%s to revision=%s", key.namespace(), pod.getMetadata().getName(),
            update.name());
        delete(key, pod);
        return;
      }
      if (!healthy(pod)) {
        return;
      }
    }
  }

  /** The revision pod {@code ord} is created at: the current one below the partition, else the update. */
  private static Revision revisionFor(StatefulSet set, int ord, int start, Revision current, Revision update) {
    if (StatefulSetStatuses.isRollingUpdate(set) && ord < start + partition(set)) {
      return current;
    }
    return update;
  }

  private static int partition(StatefulSet set) {
    var strategy = set.getSpec().getUpdateStrategy();
    if (strategy == null || strategy.getRollingUpdate() == null || strategy.getRollingUpdate().getPartition() == null) {
      return 0;
    }
    return Math.max(0, strategy.getRollingUpdate().getPartition());
  }

  private static boolean healthy(Pod pod) {
    return ActivePods.isRunningAndReady(pod) && !ActivePods.isTerminating(pod);
  }

  private static List<Pod> concat(Pod[] replicas, List<Pod> condemned) {
    List<Pod> all = new ArrayList<>(Arrays.asList(replicas));
    all.addAll(condemned);
    return all;
  }

  /** Creates the claims of pod {@code ord} that do not exist; existing ones are kept as they are. */
  private void createClaims(StatefulSet set, int ord) {
    boolean deleteWithSet = set.getSpec().getPersistentVolumeClaimRetentionPolicy() != null
        && "Delete".equals(set.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted());
    for (PersistentVolumeClaim claim : StatefulPods.claims(set, ord)) {
      PersistentVolumeClaim wanted = claim;
      if (deleteWithSet) {
        OwnerReference ref = OwnerReferences.controllerReference(set);
        ref.setController(null);
        wanted = new PersistentVolumeClaimBuilder(claim).editMetadata().withOwnerReferences(ref).endMetadata().build();
      }
      try {
        client.persistentVolumeClaims().resource(wanted).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
  }

  private void create(Request key, Pod pod) {
    String name = pod.getMetadata().getName();
    LOG.debugf("creating pod namespace=%s name=%s", key.namespace(), name);
    expectations.expectCreation(key, name);
    try {
      client.pods().resource(pod).create();
    } catch (KubernetesClientException e) {
      expectations.cancel(key, name);
      if (e.getCode() != 409) {
        throw e;
      }
      // The old pod of that name is still there; the cache will show it.
    }
  }

  private void delete(Request key, Pod pod) {
    expectations.expectDeletion(key, pod);
    try {
      client.pods().inNamespace(key.namespace()).withName(pod.getMetadata().getName()).delete();
    } catch (KubernetesClientException e) {
      expectations.cancel(key, pod.getMetadata().getName());
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private void patchPod(Pod pod, Map<String, Object> patch) {
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .patch(STRATEGIC, client.getKubernetesSerialization().asJson(patch));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
