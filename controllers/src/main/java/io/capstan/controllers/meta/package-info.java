/**
 * Object-metadata and pod-spec helpers shared by the controllers: {@link
 * io.capstan.controllers.meta.OwnerReferences} (controller refs, adopt and release patches), {@link
 * io.capstan.controllers.meta.LabelSelectors} (selector matching), {@link
 * io.capstan.controllers.meta.Tolerations} (toleration against taint) and {@link
 * io.capstan.controllers.meta.NodeSelectors} (nodeSelector and required node affinity against a
 * node). Pure functions over Fabric8 model objects; no client, no informer, no state.
 */
package io.capstan.controllers.meta;
