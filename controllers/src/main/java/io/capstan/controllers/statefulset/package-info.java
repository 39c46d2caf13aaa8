/**
 * The StatefulSet controller. Entry: {@link
 * io.capstan.controllers.statefulset.StatefulSetReconciler#controller}. A pass reads top to
 * bottom in {@code StatefulSetReconciler.reconcile} (claim pods, ensure the update revision,
 * manage pods, write status, prune history); the ordinal-by-ordinal pod management is {@code
 * StatefulSetControl}, pod identity and claims {@code StatefulPods}, the status {@code
 * StatefulSetStatuses}. Shares pod helpers with the other workload controllers ({@link
 * io.capstan.controllers.pods}) and the revision history with the DaemonSet controller ({@link
 * io.capstan.controllers.history}).
 */
package io.capstan.controllers.statefulset;
