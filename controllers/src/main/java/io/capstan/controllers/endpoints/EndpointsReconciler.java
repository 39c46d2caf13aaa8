package io.capstan.controllers.endpoints;

import io.capstan.controllers.runtime.Controller;
import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.runtime.Reconciler;
import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.runtime.Result;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Keeps an {@code Endpoints} object, named as the Service, for every Service with a selector, as
 * upstream's Endpoints controller: the selected pods with an IP, ready ones under {@code
 * addresses} and the others under {@code notReadyAddresses} (all under {@code addresses} with
 * {@code publishNotReadyAddresses}), grouped by the ports they resolve. Labels are the Service's,
 * plus {@value ServicePods#HEADLESS_LABEL} for {@code clusterIP: None}. Past 1000 addresses the
 * list is cut and annotated (see {@code OverCapacity}). It writes only when the subsets (compared
 * ignoring order), labels or that annotation differ.
 *
 * <p>Services without a selector are left alone: their Endpoints are the user's. When a Service
 * is deleted its Endpoints are deleted too (they carry no ownerReference, so garbage collection
 * would not).
 *
 * <p>Watches: Services (primary); pods, mapped to every Service in their namespace selecting them
 * (before and after an update, so a relabelled pod leaves its old Service); Endpoints, mapped to
 * the Service of the same name when one exists (an Endpoints deleted by hand comes back).
 */
public final class EndpointsReconciler implements Reconciler {
  public static final String NAME = "endpoints";
  private static final Logger LOG = Logger.getLogger(EndpointsReconciler.class);

  private final KubernetesClient client;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Endpoints> endpoints;

  public EndpointsReconciler(KubernetesClient client, SharedIndexInformer<Service> services,
      SharedIndexInformer<Pod> pods, SharedIndexInformer<Endpoints> endpoints) {
    this.client = client;
    this.services = services;
    this.pods = pods;
    this.endpoints = endpoints;
  }

  /** The Endpoints controller over {@code manager}'s shared Service, pod and Endpoints informers. */
  public static Controller controller(ControllerManager manager, int workers) {
    SharedIndexInformer<Service> services = manager.informer(Service.class);
    SharedIndexInformer<Pod> pods = manager.informer(Pod.class);
    SharedIndexInformer<Endpoints> endpoints = manager.informer(Endpoints.class);
    EndpointsReconciler reconciler = new EndpointsReconciler(manager.client(), services, pods, endpoints);
    return Controller.builder(NAME, reconciler).workers(workers)
        .primary(services)
        .watches(pods, reconciler::servicesSelecting)
        .watches(endpoints, reconciler::serviceOf)
        .build();
  }

  @Override
  public Result reconcile(Request request) {
    Service service = services.getStore().getByKey(request.cacheKey());
    Endpoints current = endpoints.getStore().getByKey(request.cacheKey());
    if (service == null) {
      if (current != null) {
        delete(request);
      }
      return Result.done();
    }
    if (!ServicePods.hasSelector(service)) {
      return Result.done();
    }
    List<Pod> selected = pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, request.namespace()).stream()
        .filter(p -> ServicePods.selects(service, p)).toList();
    List<EndpointSubset> all = EndpointSubsets.desired(service, selected);
    List<EndpointSubset> subsets = OverCapacity.truncate(all, OverCapacity.MAX_ADDRESSES);
    String overCapacity = subsets == all ? null : OverCapacity.TRUNCATED;
    Map<String, String> labels = labels(service);
    if (current != null && EndpointSubsets.same(current.getSubsets(), subsets)
        && EndpointSubsets.sameLabels(current.getMetadata().getLabels(), labels)
        && Objects.equals(annotation(current), overCapacity)) {
      return Result.done();
    }
    LOG.debugf("writing endpoints controller=%s namespace=%s name=%s subsets=%d", NAME, request.namespace(),
        request.name(), subsets.size());
    if (current == null) {
      Endpoints fresh = new EndpointsBuilder().withNewMetadata().withNamespace(request.namespace())
          .withName(request.name()).withLabels(labels).endMetadata().withSubsets(subsets).build();
      if (overCapacity != null) {
        fresh.getMetadata().setAnnotations(Map.of(OverCapacity.ANNOTATION, overCapacity));
      }
      client.endpoints().inNamespace(request.namespace()).resource(fresh).create();
    } else {
      // Optimistic: the cached resourceVersion makes a stale read fail with 409 and retry.
      Endpoints updated = new EndpointsBuilder(current).editMetadata().withLabels(labels).endMetadata()
          .withSubsets(subsets).build();
      Map<String, String> annotations = new LinkedHashMap<>();
      if (current.getMetadata().getAnnotations() != null) {
        annotations.putAll(current.getMetadata().getAnnotations());
      }
      annotations.remove(OverCapacity.ANNOTATION);
      if (overCapacity != null) {
        annotations.put(OverCapacity.ANNOTATION, overCapacity);
      }
      updated.getMetadata().setAnnotations(annotations);
      client.endpoints().inNamespace(request.namespace()).resource(updated).update();
    }
    return Result.done();
  }

  /** The Services in {@code pod}'s namespace whose selector selects it. */
  public List<Request> servicesSelecting(Pod pod) {
    return services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.getMetadata().getNamespace()).stream()
        .filter(s -> ServicePods.selects(s, pod)).map(Request::of).toList();
  }

  private List<Request> serviceOf(Endpoints ep) {
    Request key = Request.of(ep);
    return services.getStore().getByKey(key.cacheKey()) == null ? List.of() : List.of(key);
  }

  private static String annotation(Endpoints endpoints) {
    Map<String, String> annotations = endpoints.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(OverCapacity.ANNOTATION);
  }

  private static Map<String, String> labels(Service service) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (service.getMetadata().getLabels() != null) {
      labels.putAll(service.getMetadata().getLabels());
    }
    if ("None".equals(service.getSpec().getClusterIP())) {
      labels.put(ServicePods.HEADLESS_LABEL, "");
    } else {
      labels.remove(ServicePods.HEADLESS_LABEL);
    }
    return labels;
  }

  private void delete(Request request) {
    try {
      client.endpoints().inNamespace(request.namespace()).withName(request.name()).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
