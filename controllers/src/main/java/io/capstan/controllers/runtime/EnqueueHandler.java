package io.capstan.controllers.runtime;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.Collection;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Turns every informer notification into keys for a controller's queue. Add, update (both the
 * old and the new state, so that a changed owner or label reaches both sides) and delete are
 * treated alike: the reconciler never learns which one happened.
 */
final class EnqueueHandler<T> implements ResourceEventHandler<T> {
  private static final Logger LOG = Logger.getLogger(EnqueueHandler.class);

  private final String controller;
  private final Function<? super T, ? extends Collection<Request>> mapper;
  private final Consumer<Request> sink;

  EnqueueHandler(String controller, Function<? super T, ? extends Collection<Request>> mapper,
      Consumer<Request> sink) {
    this.controller = controller;
    this.mapper = mapper;
    this.sink = sink;
  }

  @Override
  public void onAdd(T obj) {
    enqueue(obj);
  }

  @Override
  public void onUpdate(T oldObj, T newObj) {
    enqueue(oldObj);
    enqueue(newObj);
  }

  @Override
  public void onDelete(T obj, boolean deletedFinalStateUnknown) {
    enqueue(obj);
  }

  private void enqueue(T obj) {
    if (obj == null) {
      return;
    }
    try {
      mapper.apply(obj).forEach(sink);
    } catch (RuntimeException e) {
      // A broken mapper must not stop the informer from delivering to other handlers.
      LOG.errorf(e, "mapping failed controller=%s", controller);
    }
  }
}
