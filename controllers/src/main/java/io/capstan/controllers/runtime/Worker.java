package io.capstan.controllers.runtime;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * One worker thread of a {@link Controller}: take a key, reconcile it, tell the queue what came of
 * it, mark it done; until the queue shuts down. The whole controller loop is {@link #run()} and
 * {@link #process(Request)}.
 */
final class Worker implements Runnable {
  private static final Logger LOG = Logger.getLogger(Controller.class);

  private final String controller;
  private final Reconciler reconciler;
  private final WorkQueue<Request> queue;

  Worker(String controller, Reconciler reconciler, WorkQueue<Request> queue) {
    this.controller = controller;
    this.reconciler = reconciler;
    this.queue = queue;
  }

  @Override
  public void run() {
    try {
      while (true) {
        Request request = queue.take().orElse(null);
        if (request == null) {
          return;
        }
        try {
          process(request);
        } finally {
          queue.done(request);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Reconciles {@code request}: success forgets its failures (and may schedule it again after a
   * delay), an exception requeues it with backoff, a {@link TerminalException} drops it.
   */
  private void process(Request request) throws InterruptedException {
    try {
      Result result = reconciler.reconcile(request);
      Duration after = result.requeueAfter();
      if (!after.isZero()) {
        queue.forget(request);
        queue.addAfter(request, after);
      } else if (result.requeue()) {
        queue.addRateLimited(request);
      } else {
        queue.forget(request);
      }
      LOG.debugf("reconciled controller=%s namespace=%s name=%s requeue=%s requeueAfter=%s",
          controller, request.namespace(), request.name(), result.requeue(), after);
    } catch (TerminalException e) {
      queue.forget(request);
      LOG.errorf(e, "reconcile failed, not retried controller=%s namespace=%s name=%s",
          controller, request.namespace(), request.name());
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      queue.addRateLimited(request);
      if (e instanceof KubernetesClientException k && k.getCode() == 409) {
        // A write based on a cache older than the object: routine, the next pass reads anew.
        LOG.debugf("reconcile conflicted controller=%s namespace=%s name=%s: %s", controller,
            request.namespace(), request.name(), k.getMessage());
        return;
      }
      LOG.warnf(e, "reconcile failed controller=%s namespace=%s name=%s failures=%d",
          controller, request.namespace(), request.name(), queue.numRequeues(request));
    }
  }
}
