package io.capstan.apiserver.http;

import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.watch.WatchObject;
import io.capstan.apiserver.watch.WatchSink;
import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;

/** A watch over a WebSocket (Fabric8): one text frame per event, a normal close at the end. */
final class WebSocketWatchSink implements WatchSink {
  private final ServerWebSocket ws;
  private final Context context;
  private final EventEncoder encoder;
  private volatile boolean ended;

  WebSocketWatchSink(ServerWebSocket ws, Context context, EventEncoder encoder) {
    this.ws = ws;
    this.context = context;
    this.encoder = encoder;
  }

  private void write(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    context.runOnContext(v -> {
      if (!ws.isClosed()) {
        ws.writeTextMessage(text);
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
      if (!ws.isClosed()) {
        ws.close((short) 1000);
      }
    });
  }

  @Override
  public boolean congested() {
    return ended || ws.isClosed() || ws.writeQueueFull();
  }

}
