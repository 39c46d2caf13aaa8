/**
 * Update history as ControllerRevisions, shared by the StatefulSet and DaemonSet controllers:
 * {@link io.capstan.controllers.history.Revisions} (revision data, hash and name; pure) and
 * {@link io.capstan.controllers.history.ControllerHistory} (reading a parent's revisions from the
 * cache, creating, renumbering and pruning them through the API).
 */
package io.capstan.controllers.history;
