/**
 * Field management as kube-apiserver does it (the managed-fields machinery of apimachinery and
 * structured-merge-diff), as pure functions over Jackson JSON trees.
 *
 * <ul>
 *   <li>{@link io.capstan.apiserver.registry.fieldmanager.FieldSet}: a set of field paths and its
 *       FieldsV1 wire encoding ({@code f:}, {@code k:}, {@code v:}, {@code i:}, {@code .}).
 *   <li>{@link io.capstan.apiserver.registry.fieldmanager.FieldManager}: {@code recordUpdate}
 *       keeps {@code metadata.managedFields} on every create/update/patch, {@code apply} is
 *       server-side apply (merge, prune, ownership, conflicts).
 * </ul>
 *
 * <p>The schema of each path (struct field, map key, list item keyed by its map keys, set value,
 * atomic value) comes from the Fabric8 model classes and {@link
 * io.capstan.apiserver.openapi.PatchMetadata}; values without a known schema are "deduced"
 * (objects are granular maps, lists are atomic). Nothing here touches storage or HTTP: errors are
 * {@link io.capstan.apiserver.errors.ApiException}s for the caller to answer.
 */
package io.capstan.apiserver.registry.fieldmanager;
