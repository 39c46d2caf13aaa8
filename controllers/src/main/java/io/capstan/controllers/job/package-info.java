/**
 * The Job controller and the TTL-after-finished controller (batch/v1 Jobs). Entries: {@link
 * io.capstan.controllers.job.JobReconciler#controller} and {@link
 * io.capstan.controllers.job.TtlAfterFinishedReconciler#controller}. A Job pass reads top to bottom
 * in {@code JobReconciler.reconcile}: claim pods, count, decide finished or failed, manage pods
 * ({@code JobPodControl}), then count finished pods into the status and remove their tracking
 * finalizers ({@code JobTracker}). Beside them: {@code JobSync} (the state of one pass), {@code
 * JobConditions}, {@code JobPods}, {@code JobSpecs}, {@code JobStatuses}, {@code JobTimes} (pure),
 * and the per-job memory {@code FailureBackoff} and {@code FinalizerRemovals}. Depends on the
 * runtime, meta and pods packages and the API only.
 */
package io.capstan.controllers.job;
