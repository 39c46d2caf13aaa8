/**
 * The controller runtime: a small controller-runtime over Fabric8 informers. Every controller is
 * a client of the API; nothing here touches storage.
 *
 * <h2>Tour</h2>
 *
 * <pre>
 *   informer (list + watch)  --EnqueueHandler-->  WorkQueue&lt;Request&gt;  --N workers-->  Reconciler
 *        ^                                                                                   |
 *        +------------------------ writes through the API (status via /status) --------------+
 * </pre>
 *
 * <ul>
 *   <li>{@link io.capstan.controllers.runtime.Reconciler}: the seam; its Javadoc is the contract
 *       (keyed, level-based, idempotent, read from the cache, errors requeue with backoff).
 *   <li>{@link io.capstan.controllers.runtime.Request} (namespace, name) in, {@link
 *       io.capstan.controllers.runtime.Result} out ({@code done}, {@code requeueWithBackoff},
 *       {@code requeueAfter}); {@link io.capstan.controllers.runtime.TerminalException} is not
 *       retried.
 *   <li>{@link io.capstan.controllers.runtime.WorkQueue}: client-go's queue: dedup, one worker per
 *       key at a time, delayed adds, per-key exponential backoff (5 ms doubling to 1000 s).
 *   <li>{@link io.capstan.controllers.runtime.Controller}: a reconciler, its sources (primary kind,
 *       owned kinds mapped through the controller ownerReference, any kind through a function)
 *       and its workers; the loop itself is {@code Worker.run} then {@code Worker.process}.
 *   <li>{@link io.capstan.controllers.runtime.ControllerManager}: the loop owner. Shares one
 *       informer per kind, starts them, waits for every cache to sync, then runs the controllers,
 *       optionally only while it holds a {@link io.capstan.controllers.runtime.LeaderElection}
 *       Lease (Fabric8's LeaderElector; losing it stops the workers).
 * </ul>
 *
 * <h2>Wiring a controller</h2>
 *
 * <pre>{@code
 * ControllerManager manager = new ControllerManager(client, LeaderElection.defaults());
 * manager.register(ReplicaSetReconciler.controller(manager, 2));
 * manager.start();   // blocks until the caches have synced
 * ...
 * manager.close();   // stops workers, releases the Lease, stops informers
 * }</pre>
 *
 * <p>A reconciler declares its own watches in a static factory beside it (see the {@code
 * replicaset} package). Logs are plain key=value lines carrying controller, namespace and name;
 * no MDC. Depends on Fabric8, jboss-logging and {@code io.capstan.controllers.meta} only.
 */
package io.capstan.controllers.runtime;
