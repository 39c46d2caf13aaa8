/**
 * The Endpoints controller. Entry: {@link
 * io.capstan.controllers.endpoints.EndpointsReconciler#controller}, which keeps one {@code
 * Endpoints} object, named as the Service, listing the pods each selector-bearing Service selects.
 * Pure helpers beside it: {@link io.capstan.controllers.endpoints.ServicePods} (which pods back a
 * Service, their readiness and resolved ports; shared with the EndpointSlice controller) and
 * {@code EndpointSubsets} (the subsets built, repacked by port set, and compared ignoring order).
 */
package io.capstan.controllers.endpoints;
