package io.capstan.apiserver.http;

import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.watch.WatchObject;
import io.capstan.apiserver.watch.WatchSink;

/** A watch sink that encodes events with an {@link EventEncoder} and writes the bytes somewhere. */
abstract class EncodedWatchSink implements WatchSink {
  private final EventEncoder encoder;

  EncodedWatchSink(EventEncoder encoder) {
    this.encoder = encoder;
  }

  /** Hands one encoded event to the transport, without blocking. */
  abstract void write(byte[] bytes);

  @Override
  public final void event(String type, WatchObject object) {
    write(encoder.event(type, object));
  }

  @Override
  public final void bookmark(long revision, boolean initialEventsEnd) {
    write(encoder.bookmark(revision, initialEventsEnd));
  }

  @Override
  public final void error(ApiException error) {
    write(encoder.error(error));
  }
}
