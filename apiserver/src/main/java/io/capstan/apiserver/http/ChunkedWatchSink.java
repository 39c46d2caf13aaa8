package io.capstan.apiserver.http;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** A watch over a chunked HTTP/1.1 response: one JSON event per line, flushed as it comes. */
final class ChunkedWatchSink extends EncodedWatchSink {
  private final HttpServerResponse res;
  private final Context context;
  private volatile boolean ended;

  ChunkedWatchSink(HttpServerResponse res, Context context, EventEncoder encoder, String contentType) {
    super(encoder);
    this.res = res;
    this.context = context;
    res.setChunked(true).setStatusCode(200).putHeader("Content-Type", contentType)
        .putHeader("Cache-Control", "no-cache, private");
  }

  @Override
  void write(byte[] bytes) {
    context.runOnContext(v -> {
      if (!res.ended() && !res.closed()) {
        res.write(Buffer.buffer(bytes));
      }
    });
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
