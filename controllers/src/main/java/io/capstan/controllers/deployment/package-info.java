/**
 * The Deployment controller. Entry: {@link
 * io.capstan.controllers.deployment.DeploymentReconciler#controller}, which wires {@link
 * io.capstan.controllers.deployment.DeploymentReconciler} to the manager's shared Deployment,
 * ReplicaSet and pod informers; the ReplicaSet controller makes the pods. A pass reads top to
 * bottom in {@code reconcile}: claim ReplicaSets ({@code ReplicaSetClaims}), then scale ({@code
 * Sync}) or make one step of a strategy ({@code RollingUpdate}, {@code Recreate}), then write
 * status ({@code Progress}, {@code DeploymentStatuses}). Helpers: {@code Rollout} (the state of one
 * pass), {@code NewReplicaSets} and {@code PodTemplateHash} (the new ReplicaSet and its name),
 * {@code Revisions} (annotations), {@code Replicas} (surge and unavailability arithmetic), {@code
 * ReplicaSetWrites} (writes, and the ones the cache has not shown yet).
 */
package io.capstan.controllers.deployment;
