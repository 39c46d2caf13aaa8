/**
 * The ReplicaSet controller. Entry: {@link
 * io.capstan.controllers.replicaset.ReplicaSetReconciler#controller}, which wires {@link
 * io.capstan.controllers.replicaset.ReplicaSetReconciler} to the manager's shared ReplicaSet and
 * pod informers. Its pass reads top to bottom in {@code reconcile}: claim pods, settle
 * expectations, create or delete, write status. Beside it {@code ReplicaSetStatuses} (the status
 * and its patch, pure); the pod helpers it shares with other controllers are in {@link
 * io.capstan.controllers.pods}. Depends on the runtime, meta and pods packages and the API only.
 */
package io.capstan.controllers.replicaset;
