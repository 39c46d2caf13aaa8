/**
 * Pod helpers shared by the workload controllers (ReplicaSet, StatefulSet, DaemonSet): {@link
 * io.capstan.controllers.pods.PodTemplates} (the pod built from a template), {@link
 * io.capstan.controllers.pods.ActivePods} (which pods count, readiness, deletion order), {@link
 * io.capstan.controllers.pods.PodClaims} (adopting and releasing pods by selector) and {@link
 * io.capstan.controllers.pods.Expectations} (writes the pod cache has not shown yet) and {@link
 * io.capstan.controllers.pods.SlowStart} (bursts of creations in doubling parallel batches).
 */
package io.capstan.controllers.pods;
