package io.capstan.controllers.runtime;

/**
 * Thrown by a {@link Reconciler} for an error that retrying cannot fix (an invalid spec the API
 * server let through, a reference that can never resolve). The controller logs it and forgets
 * the key instead of requeueing it with backoff; the next change to the object enqueues it again.
 */
public class TerminalException extends Exception {
  public TerminalException(String message) {
    super(message);
  }

  public TerminalException(String message, Throwable cause) {
    super(message, cause);
  }
}
