/**
 * The ReplicaSet controller. Entry: {@link
 * io.capstan.controllers.replicaset.ReplicaSetReconciler#controller}, which wires {@link
 * io.capstan.controllers.replicaset.ReplicaSetReconciler} to the manager's shared ReplicaSet and
 * pod informers. Its pass reads top to bottom in {@code reconcile}: claim pods, settle
 * expectations, create or delete, write status. Pure helpers beside it: {@code PodTemplates}
 * (the pod built from the template), {@code ActivePods} (which pods count, readiness, deletion
 * order), {@code ReplicaSetStatuses} (the status and its patch), {@code Expectations} (writes the
 * cache has not shown yet). Depends on the runtime and meta packages and the API only.
 */
package io.capstan.controllers.replicaset;
