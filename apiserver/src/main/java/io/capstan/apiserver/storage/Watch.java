package io.capstan.apiserver.storage;

/** A running watch. Closing it is idempotent and stops delivery soon after it returns. */
public interface Watch extends AutoCloseable {
  @Override
  void close();

  /**
   * A revision R such that every event of this watch with a revision {@code <= R} has already been
   * passed to the listener, though the watch may have had none near R (progress: the revision a
   * BOOKMARK may carry). 0 when the backend does not know; never below the watch's start.
   */
  default long progressRevision() {
    return 0;
  }
}
