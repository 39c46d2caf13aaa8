package io.capstan.controllers.testing;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * A test's own read-modify-write of an object that a controller or a test kubelet writes at the
 * same time (status, finalizers): Fabric8's {@code edit} sends the resourceVersion it read, so a
 * concurrent write makes it fail with 409 Conflict; as any client would, read again and retry.
 */
public final class Edits {
  private static final int ATTEMPTS = 20;

  private Edits() {}

  /** Runs {@code edit}, again on a 409 Conflict, up to 20 times. */
  public static void retrying(Runnable edit) {
    for (int attempt = 1; ; attempt++) {
      try {
        edit.run();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
