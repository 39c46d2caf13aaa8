package io.capstan.apiserver.storage;

import java.util.List;

/**
 * Receives the events of one {@link Storage#watch}. Calls come from one thread at a time and in
 * revision order; the listener must not block (hand work off to its own queue).
 */
public interface WatchListener {

  /**
   * Events in revision order, with no gap: all events of one revision arrive in the same call.
   */
  void onEvents(List<WatchEvent> events);

  /**
   * The watch ended and will deliver nothing more: the store closed, or the listener fell too far
   * behind ({@link WatchClosedException}). Not called after the caller closed the watch itself.
   */
  void onClose(StorageException cause);
}
