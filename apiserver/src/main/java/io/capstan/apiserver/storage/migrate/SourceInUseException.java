package io.capstan.apiserver.storage.migrate;

/**
 * The migration source changed while it was copied, so a server is still writing to it: the
 * target holds a consistent but already stale snapshot.
 */
public final class SourceInUseException extends IllegalStateException {
  public SourceInUseException(String message) {
    super(message);
  }
}
