/**
 * Object-metadata helpers shared by the controllers: {@link
 * io.capstan.controllers.meta.OwnerReferences} (controller refs, adopt and release patches) and
 * {@link io.capstan.controllers.meta.LabelSelectors} (selector matching). Pure functions over
 * Fabric8 model objects; no client, no informer, no state.
 */
package io.capstan.controllers.meta;
