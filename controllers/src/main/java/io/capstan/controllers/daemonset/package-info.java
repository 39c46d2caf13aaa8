/**
 * The DaemonSet controller. Entry: {@link
 * io.capstan.controllers.daemonset.DaemonSetReconciler#controller}. A pass reads top to bottom in
 * {@code DaemonSetReconciler.reconcile} (claim pods, ensure the revision, group pods by node,
 * create and delete, write status, prune history). Pure helpers beside it: {@code
 * NodeEligibility} (does a node take the pod: name, selector, affinity, taints), {@code
 * DaemonPods} (the pod for a node: tolerations, node affinity, labels), {@code DaemonSetPlan}
 * (what to create and delete, rolling update) and {@code DaemonSetStatuses}.
 */
package io.capstan.controllers.daemonset;
