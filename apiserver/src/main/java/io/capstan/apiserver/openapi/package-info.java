/**
 * The OpenAPI v3 documents this server publishes under {@code /openapi/v3}, one per group-version
 * of the {@link io.capstan.apiserver.resources.ResourceCatalog}, rebuilt when the catalog changes.
 * Built-in kinds are described by reflection over their Fabric8 model classes, custom kinds by
 * their CRD's {@code openAPIV3Schema}; both with upstream schema names, group-version-kind
 * extensions, path items whose operations advertise {@code fieldValidation}, and (built-in kinds)
 * the strategic-merge-patch metadata kubectl reads. Entry point: {@link
 * io.capstan.apiserver.openapi.OpenApiV3}; {@link io.capstan.apiserver.openapi.PatchMetadata} is
 * the merge-key table, which the server's strategic merge patch should share so both sides agree.
 *
 * <p>This package must not depend on HTTP (Vert.x), storage, the registry, or the discovery and
 * table packages; it reads only the resource catalog and the Fabric8 model classes.
 */
package io.capstan.apiserver.openapi;
