/**
 * The EndpointSlice controller. Entry: {@link
 * io.capstan.controllers.endpointslice.EndpointSliceReconciler#controller}, which keeps the
 * {@code discovery.k8s.io/v1} EndpointSlices of every selector-bearing Service. Its pass: compute
 * the desired endpoints per address type and port set ({@code DesiredEndpoints}), plan creates,
 * in-place updates and deletes against the existing slices ({@code SlicePlanner}), then write them,
 * holding back while the cache has not yet shown the previous writes ({@code SliceTracker}). Pod
 * selection and port resolution are shared with the Endpoints controller ({@link
 * io.capstan.controllers.endpoints.ServicePods}).
 */
package io.capstan.controllers.endpointslice;
