/**
 * API discovery documents built from the {@link io.capstan.apiserver.resources.ResourceCatalog}:
 * the legacy shapes ({@code APIVersions}, {@code APIGroupList}, {@code APIGroup}, {@code
 * APIResourceList}) and the aggregated {@code apidiscovery.k8s.io/v2} {@code
 * APIGroupDiscoveryList}, plus a content ETag. Entry point: {@link
 * io.capstan.apiserver.discovery.Discovery}.
 *
 * <p>Pure functions of the catalog returning Jackson 2 trees. This package must not depend on
 * HTTP (Vert.x), storage, the registry or the OpenAPI and table packages; the HTTP layer decides
 * which document to serve for which path and Accept header.
 */
package io.capstan.apiserver.discovery;
