package io.capstan.apiserver.watch;

import io.capstan.apiserver.errors.ApiException;

/**
 * Where an {@link ApiWatch} sends its events: a chunked HTTP response or a WebSocket. Calls come
 * from one thread at a time but not always the same one; implementations hand the bytes to their
 * transport without blocking.
 */
public interface WatchSink {

  /** ADDED, MODIFIED or DELETED with the object. */
  void event(String type, WatchObject object);

  /** A BOOKMARK at {@code revision}; {@code initialEventsEnd} marks the end of watch-list. */
  void bookmark(long revision, boolean initialEventsEnd);

  /** An ERROR event carrying a Status; the watch ends after it. */
  void error(ApiException error);

  /** Ends the stream (no more calls follow). */
  void end();

  /** Whether the transport can take no more for now (a slow client): the watch is then dropped. */
  boolean congested();
}
