package io.capstan.controllers.endpointslice;

import io.capstan.controllers.endpoints.ServicePods;
import io.capstan.controllers.meta.OwnerReferences;
import io.capstan.controllers.runtime.Controller;
import io.capstan.controllers.runtime.ControllerManager;
import io.capstan.controllers.runtime.Reconciler;
import io.capstan.controllers.runtime.Request;
import io.capstan.controllers.runtime.Result;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Keeps the {@code discovery.k8s.io/v1} EndpointSlices of every Service with a selector, as
 * upstream's EndpointSlice controller: per address type and port set, slices of at most 100
 * endpoints (one per selected pod with an IP of that family, terminating pods included), each with
 * {@code ready}/{@code serving}/{@code terminating} conditions, nodeName, the node's zone,
 * hostname and a pod targetRef. Slices are named {@code <service>-<random>}, labelled {@value
 * #SERVICE_NAME_LABEL} and {@value #MANAGED_BY_LABEL}={@value #MANAGED_BY} (plus the Service's
 * labels), and controlled by the Service. Existing slices are updated in place; an empty
 * placeholder slice stands for "no endpoints". Slices managed by others are never touched.
 *
 * <p>Services without a selector are left alone. When a Service is gone its slices are deleted
 * (garbage collection through the ownerReference would do the same).
 *
 * <p>Watches: Services (primary); pods, mapped to every Service in their namespace selecting them
 * (old and new state on update); the controller's own slices, mapped by their service-name label.
 * Nodes are read from a cache for zones, not watched (as upstream, a zone change shows on the next
 * pass).
 */
public final class EndpointSliceReconciler implements Reconciler {
  public static final String NAME = "endpointslice";
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "endpointslice-controller.k8s.io";
  static final String ZONE_LABEL = "topology.kubernetes.io/zone";
  private static final Logger LOG = Logger.getLogger(EndpointSliceReconciler.class);
  /** Fallback when the cache lags this controller's writes; the slice events themselves requeue sooner. */
  private static final Duration CACHE_LAG_RETRY = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<EndpointSlice> slices;
  private final SharedIndexInformer<Node> nodes;
  private final SliceTracker tracker = new SliceTracker();

  public EndpointSliceReconciler(KubernetesClient client, SharedIndexInformer<Service> services,
      SharedIndexInformer<Pod> pods, SharedIndexInformer<EndpointSlice> slices, SharedIndexInformer<Node> nodes) {
    this.client = client;
    this.services = services;
    this.pods = pods;
    this.slices = slices;
    this.nodes = nodes;
  }

  /** The EndpointSlice controller over {@code manager}'s shared informers. */
  public static Controller controller(ControllerManager manager, int workers) {
    SharedIndexInformer<Service> services = manager.informer(Service.class);
    SharedIndexInformer<Pod> pods = manager.informer(Pod.class);
    SharedIndexInformer<EndpointSlice> slices = manager.informer(EndpointSlice.class);
    SharedIndexInformer<Node> nodes = manager.informer(Node.class);
    EndpointSliceReconciler reconciler = new EndpointSliceReconciler(manager.client(), services, pods, slices, nodes);
    return Controller.builder(NAME, reconciler).workers(workers)
        .primary(services)
        .watches(pods, reconciler::servicesSelecting)
        .watches(slices, EndpointSliceReconciler::serviceOf)
        .build();
  }

  @Override
  public Result reconcile(Request request) {
    Service service = services.getStore().getByKey(request.cacheKey());
    List<EndpointSlice> mine = slices.getIndexer().byIndex(Cache.NAMESPACE_INDEX, request.namespace()).stream()
        .filter(s -> serviceOf(s).contains(request)).toList();
    if (service == null) {
      mine.forEach(s -> delete(s));
      tracker.forget(request);
      return Result.done();
    }
    if (!ServicePods.hasSelector(service)) {
      return Result.done();
    }
    if (!tracker.caughtUp(request, name -> slices.getStore().getByKey(request.namespace() + "/" + name))) {
      return Result.requeueAfter(CACHE_LAG_RETRY);
    }
    List<Pod> selected = pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, request.namespace()).stream()
        .filter(p -> ServicePods.selects(service, p) && ServicePods.shouldBeEndpoint(p, true)).toList();
    List<String> types = DesiredEndpoints.addressTypes(service, selected);
    Map<String, Map<List<SliceKeys.PortKey>, Map<String, Endpoint>>> desired = new LinkedHashMap<>();
    types.forEach(t -> desired.put(t, DesiredEndpoints.of(service, selected, t, this::zoneOf)));
    boolean none = desired.values().stream().allMatch(Map::isEmpty);
    Map<String, String> labels = labels(service);
    for (EndpointSlice s : mine) {
      // Slices of an earlier Service of the same name, or of an address type no longer served, go.
      if (!ownedBy(s, service) || !types.contains(s.getAddressType())) {
        delete(request, s);
      }
    }
    List<EndpointSlice> current = mine.stream().filter(s -> ownedBy(s, service)).toList();
    for (String type : types) {
      List<EndpointSlice> existing = current.stream().filter(s -> type.equals(s.getAddressType())).toList();
      SlicePlanner.Plan plan = SlicePlanner.plan(service, type, desired.get(type), existing,
          none && type.equals(types.get(0)), labels);
      if (!plan.isEmpty()) {
        LOG.debugf("writing slices controller=%s namespace=%s name=%s type=%s create=%d update=%d delete=%d", NAME,
            request.namespace(), request.name(), type, plan.creates().size(), plan.updates().size(),
            plan.deletes().size());
      }
      // Creates and updates before deletes, so that an endpoint moving between slices never vanishes.
      for (EndpointSlice s : plan.creates()) {
        tracker.wrote(request, client.resources(EndpointSlice.class).inNamespace(request.namespace()).resource(s).create());
      }
      for (EndpointSlice s : plan.updates()) {
        tracker.wrote(request, client.resources(EndpointSlice.class).inNamespace(request.namespace()).resource(s).update());
      }
      plan.deletes().forEach(s -> delete(request, s));
    }
    return Result.done();
  }

  /** The Services in {@code pod}'s namespace whose selector selects it. */
  public List<Request> servicesSelecting(Pod pod) {
    return services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.getMetadata().getNamespace()).stream()
        .filter(s -> ServicePods.selects(s, pod)).map(Request::of).toList();
  }

  /** The Service of a slice this controller manages; none for others' slices. */
  static List<Request> serviceOf(EndpointSlice slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    if (labels == null || !MANAGED_BY.equals(labels.get(MANAGED_BY_LABEL)) || labels.get(SERVICE_NAME_LABEL) == null) {
      return List.of();
    }
    return List.of(new Request(slice.getMetadata().getNamespace(), labels.get(SERVICE_NAME_LABEL)));
  }

  private static boolean ownedBy(EndpointSlice slice, Service service) {
    return OwnerReferences.controllerOf(slice).map(ref -> service.getMetadata().getUid().equals(ref.getUid()))
        .orElse(false);
  }

  private String zoneOf(String nodeName) {
    Node node = nodes.getStore().getByKey(nodeName);
    return node == null || node.getMetadata().getLabels() == null ? null : node.getMetadata().getLabels().get(ZONE_LABEL);
  }

  private static Map<String, String> labels(Service service) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (service.getMetadata().getLabels() != null) {
      labels.putAll(service.getMetadata().getLabels());
    }
    labels.remove(ServicePods.HEADLESS_LABEL);
    labels.put(SERVICE_NAME_LABEL, service.getMetadata().getName());
    labels.put(MANAGED_BY_LABEL, MANAGED_BY);
    if ("None".equals(service.getSpec().getClusterIP())) {
      labels.put(ServicePods.HEADLESS_LABEL, "");
    }
    return labels;
  }

  private void delete(Request service, EndpointSlice slice) {
    delete(slice);
    tracker.deleted(service, slice.getMetadata().getName());
  }

  private void delete(EndpointSlice slice) {
    try {
      client.resources(EndpointSlice.class).inNamespace(slice.getMetadata().getNamespace())
          .withName(slice.getMetadata().getName()).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
