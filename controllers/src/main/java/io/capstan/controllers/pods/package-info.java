/**
 * Pod helpers shared by the controllers that own pods (ReplicaSet, Job): {@link
 * io.capstan.controllers.pods.PodTemplates} (the pod built from a template), {@link
 * io.capstan.controllers.pods.ActivePods} (which pods count, readiness, deletion order), {@link
 * io.capstan.controllers.pods.Expectations} (pod writes the cache has not shown yet, per owner,
 * thread-safe) and {@link io.capstan.controllers.pods.PodClaims} (adopt and release pods, the one
 * class here that writes through the client). No informers.
 */
package io.capstan.controllers.pods;
