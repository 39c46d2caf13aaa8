/**
 * Custom resources: the strategies of CustomResourceDefinitions and of custom objects, and
 * {@link io.capstan.apiserver.registry.custom.CrdController}, which serves the types CRDs
 * define (catalog registration, NamesAccepted/Established conditions, cleanup on deletion).
 * Uses the schema engine of {@code io.capstan.apiserver.crd}.
 */
package io.capstan.apiserver.registry.custom;
