/**
 * The scheduler: assigns unscheduled pods to nodes, as kube-scheduler's default profile does in
 * outline. One loop thread takes pending pods from the work queue, runs the {@link
 * io.capstan.controllers.scheduler.FilterPlugin filters} and {@link
 * io.capstan.controllers.scheduler.ScorePlugin scores} against an in-memory {@link
 * io.capstan.controllers.scheduler.SchedulerCache cache} of nodes and the pods on them, assumes the
 * winner and hands the {@code pods/binding} POST to the {@link
 * io.capstan.controllers.scheduler.Binder}, which keeps a bounded number in flight. A pod that fits
 * nowhere gets a FailedScheduling event and a PodScheduled=False condition and is retried with
 * backoff and when the cluster changes.
 */
package io.capstan.controllers.scheduler;
