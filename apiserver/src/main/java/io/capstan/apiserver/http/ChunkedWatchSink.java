package io.capstan.apiserver.http;

import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.watch.WatchObject;
import io.capstan.apiserver.watch.WatchSink;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** A watch over a chunked HTTP/1.1 response: one JSON event per line, flushed as it comes. */
final class ChunkedWatchSink implements WatchSink {
  private final HttpServerResponse res;
  private final Context context;
  private final EventEncoder encoder;
  private volatile boolean ended;

  ChunkedWatchSink(HttpServerResponse res, Context context, EventEncoder encoder, String contentType) {
    this.res = res;
    this.context = context;
    this.encoder = encoder;
    res.setChunked(true).setStatusCode(200).putHeader("Content-Type", contentType)
        .putHeader("Cache-Control", "no-cache, private");
  }

  private void write(byte[] bytes) {
    context.runOnContext(v -> {
      if (!res.ended() && !res.closed()) {
        res.write(Buffer.buffer(bytes));
      }
    });
  }

  @Override
  public void event(String type, WatchObject object) {
    write(encoder.event(type, object));
  }

  @Override
  public void bookmark(long revision, boolean initialEventsEnd) {
    write(encoder.bookmark(revision, initialEventsEnd));
  }

  @Override
  public void error(ApiException error) {
    write(encoder.error(error));
  }

  @Override
  public void end() {
    ended = true;
    context.runOnContext(v -> {
      if (!res.ended() && !res.closed()) {
        res.end();
      }
    });
  }

  @Override
  public boolean congested() {
    return ended || res.closed() || res.writeQueueFull();
  }
}
