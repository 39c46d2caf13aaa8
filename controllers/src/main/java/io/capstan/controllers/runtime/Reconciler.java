package io.capstan.controllers.runtime;

/**
 * Converges the world toward the desired state of one object. The seam every controller
 * implements; {@link Controller} calls it from its workers.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li><b>Keyed.</b> The input is a {@link Request} (namespace, name), never an event or an
 *       object. Add, update, delete and resync all arrive the same way, and several changes to one
 *       object may arrive as one call. Do not branch on what happened; look at what is.
 *   <li><b>Level-based.</b> Read the current state from the informer caches (the primary object,
 *       the objects it owns), compute the desired state, write only the difference through the
 *       API, and write status through the {@code /status} subresource. An object missing from
 *       the cache has been deleted: clean up what the API's garbage collection does not, then
 *       return {@link Result#done()}.
 *   <li><b>Idempotent.</b> Calling it twice with no change in between writes nothing the second
 *       time. The caches may lag the controller's own writes; a reconciler that creates objects
 *       must not create them again before the cache has seen the first ones (see the ReplicaSet
 *       controller's expectations).
 *   <li><b>Read-only cache.</b> Objects from an informer are shared: copy them (builders) before
 *       changing anything.
 *   <li><b>Errors.</b> A thrown exception requeues the key with per-key exponential backoff (5 ms
 *       doubling to 1000 s), reset by the next success, and is logged as a warning; a 409
 *       Conflict (a write based on a stale cache) is retried the same way but logged only at
 *       debug level. A {@link TerminalException} is logged and not retried.
 *   <li><b>Concurrency.</b> One key is never reconciled by two workers at once, but different
 *       keys are, so state shared between keys must be thread-safe.
 * </ul>
 *
 * <p>A worked sequence, for a ReplicaSet {@code web} with 3 replicas: the informer lists it, the
 * key {@code default/web} is queued, a worker calls {@code reconcile(default/web)}, which finds 0
 * pods in the cache, creates 3 and returns done. Each pod's ADD maps back to {@code default/web}
 * through its controller ownerReference; the next pass finds 3 pods, writes {@code
 * status.replicas: 3} and returns done. A further pass writes nothing.
 */
@FunctionalInterface
public interface Reconciler {
  /**
   * Converges the object named by {@code request}.
   *
   * @return what the queue should do with the key next; {@link Result#done()} when converged
   * @throws TerminalException when retrying cannot help
   * @throws Exception for anything else; the key is retried with backoff
   */
  Result reconcile(Request request) throws Exception;
}
