/**
 * The garbage collector: cascading deletion by ownerReferences for every discovered resource
 * kind, custom resources included. {@link io.capstan.controllers.gc.GarbageCollector} is the
 * controller; {@link io.capstan.controllers.gc.DependencyGraph} the owner-to-dependents graph
 * keyed by uid; {@link io.capstan.controllers.gc.ResourceDiscovery} the periodically refreshed
 * set of resources and their informers.
 */
package io.capstan.controllers.gc;
