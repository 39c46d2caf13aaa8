package io.capstan.controllers.simulate;

import io.capstan.controllers.meta.OwnerReferences;
import io.capstan.controllers.rest.RawApi;
import io.capstan.controllers.rest.RawApis;
import io.capstan.controllers.runtime.Reconciler;
import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.runtime.Result;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The kubelet's part for pods bound to simulated nodes, one pod per pass: a pod becomes Running
 * and Ready with an IP from its node's pod CIDR; a pod whose controller is a Job finishes after
 * {@value #RUN_SECONDS} seconds ({@code 1} unless set) with exit code {@value #EXIT_CODE} ({@code
 * 0} unless set); a pod marked for deletion is deleted for good (grace period 0, UID
 * precondition), as a kubelet confirms a graceful deletion. Pods of other nodes are ignored.
 */
final class PodSimulator implements Reconciler {
  static final String RUN_SECONDS = "sim.capstan.io/run-seconds";
  static final String EXIT_CODE = "sim.capstan.io/exit-code";
  private static final Logger LOG = Logger.getLogger(PodSimulator.class);

  private final KubernetesClient client;
  private final RawApi api;
  private final SharedIndexInformer<Pod> pods;
  private final SimulationConfig config;
  private final Clock clock;
  private final PodAddresses addresses = new PodAddresses();

  PodSimulator(KubernetesClient client, SharedIndexInformer<Pod> pods, SimulationConfig config, Clock clock) {
    this.client = client;
    this.api = RawApis.of(client);
    this.pods = pods;
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Result reconcile(Request request) throws Exception {
    Pod pod = pods.getStore().getByKey(request.cacheKey());
    if (pod == null) {
      addresses.release(request.cacheKey());
      return Result.done();
    }
    int node = config.indexOf(pod.getSpec() == null ? null : pod.getSpec().getNodeName());
    if (node < 0) {
      return Result.done();
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      confirmDeletion(pod);
      addresses.release(request.cacheKey());
      return Result.done();
    }
    if (PodStatuses.isFinished(pod)) {
      addresses.release(request.cacheKey());
      return Result.done();
    }
    Instant now = clock.instant();
    String current = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    String podIp = addresses.assign(request.cacheKey(), node, current);
    String hostIp = NodeTemplates.internalIp(node);
    Instant start = PodStatuses.startTime(pod);
    boolean job = OwnerReferences.controllerOf(pod).filter(r -> OwnerReferences.refersTo(r, "batch", "Job")).isPresent();
    if (!PodStatuses.isRunningReady(pod) || start == null) {
      start = start == null ? now : start;
      patchStatus(pod, PodStatuses.running(pod, hostIp, podIp, start, now));
      return job ? Result.requeueAfter(runFor(pod)) : Result.done();
    }
    if (!job) {
      return Result.done();
    }
    Instant end = start.plus(runFor(pod));
    if (now.isBefore(end)) {
      return Result.requeueAfter(Duration.between(now, end));
    }
    patchStatus(pod, PodStatuses.finished(pod, hostIp, podIp, start, now, exitCode(pod)));
    addresses.release(request.cacheKey());
    return Result.done();
  }

  /** A merge patch of the pod's status subresource; gone already is fine. */
  private void patchStatus(Pod pod, Map<String, Object> patch) throws Exception {
    RawApi.Reply reply = api.send("PATCH", podPath(pod) + "/status", "application/merge-patch+json",
        client.getKubernetesSerialization().asJson(patch)).get(30, TimeUnit.SECONDS);
    if (!reply.ok() && reply.code() != 404) {
      throw new IllegalStateException("patching the status of pod " + pod.getMetadata().getNamespace() + "/"
          + pod.getMetadata().getName() + ": HTTP " + reply.code() + " " + reply.body());
    }
  }

  private static String podPath(Pod pod) {
    return "/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/" + pod.getMetadata().getName();
  }

  /** DELETE with gracePeriodSeconds 0 and a UID precondition; gone already is fine. */
  private void confirmDeletion(Pod pod) throws Exception {
    String body = client.getKubernetesSerialization().asJson(Map.of("apiVersion", "v1", "kind", "DeleteOptions",
        "gracePeriodSeconds", 0, "preconditions", Map.of("uid", pod.getMetadata().getUid())));
    RawApi.Reply reply = api.send("DELETE", podPath(pod), "application/json", body).get(30, TimeUnit.SECONDS);
    int code = reply.code();
    if (code == 404 || code == 409) {
      // Gone, or replaced by a new pod of the same name (its own pass handles it).
      return;
    }
    if (code >= 300) {
      throw new IllegalStateException("deleting pod " + pod.getMetadata().getNamespace() + "/"
          + pod.getMetadata().getName() + ": HTTP " + code + " " + reply.body());
    }
    LOG.debugf("confirmed deletion of pod %s/%s", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
  }

  private static Duration runFor(Pod pod) {
    String v = annotation(pod, RUN_SECONDS);
    try {
      double seconds = v == null ? 1 : Double.parseDouble(v);
      return Duration.ofMillis((long) (Math.max(0, seconds) * 1000));
    } catch (NumberFormatException e) {
      LOG.warnf("pod %s/%s: ignoring %s=%s", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
          RUN_SECONDS, v);
      return Duration.ofSeconds(1);
    }
  }

  private static int exitCode(Pod pod) {
    String v = annotation(pod, EXIT_CODE);
    try {
      return v == null ? 0 : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static String annotation(Pod pod, String key) {
    Map<String, String> a = pod.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }
}
