/**
 * Pod helpers shared by the controllers that own pods (ReplicaSet, Job): {@link
 * io.capstan.controllers.pods.PodTemplates} (the pod built from a template), {@link
 * io.capstan.controllers.pods.ActivePods} (which pods count, readiness, deletion order) and {@link
 * io.capstan.controllers.pods.Expectations} (pod writes the cache has not shown yet). No client, no
 * informer; {@code Expectations} holds per-owner state and is thread-safe.
 */
package io.capstan.controllers.pods;
