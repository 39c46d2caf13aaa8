/**
 * Server-side printing: {@link io.capstan.apiserver.table.TablePrinter} turns stored objects (their
 * JSON wire form) into a {@code meta.k8s.io/v1} {@code Table} with the columns kubectl shows
 * against a real cluster ({@code kubectl get}, {@code -o wide}, {@code -w}). One small class per
 * group of kinds computes the cells; {@link io.capstan.apiserver.table.Cells} holds the shared
 * formatting (ages, label selectors, container lists). Custom resources get their CRD version's
 * {@code additionalPrinterColumns}, evaluated with a small JSONPath subset.
 *
 * <p>Pure functions of the objects and a clock. This package must not depend on HTTP (Vert.x),
 * storage, the registry, discovery or OpenAPI; it reads only {@link
 * io.capstan.apiserver.resources.ResourceType} and its {@link
 * io.capstan.apiserver.resources.CustomResource} part.
 */
package io.capstan.apiserver.table;
