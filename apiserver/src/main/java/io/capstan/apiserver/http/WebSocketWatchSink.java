package io.capstan.apiserver.http;

import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;

/** A watch over a WebSocket (Fabric8): one text frame per event, a normal close at the end. */
final class WebSocketWatchSink extends EncodedWatchSink {
  private final ServerWebSocket ws;
  private final Context context;
  private volatile boolean ended;

  WebSocketWatchSink(ServerWebSocket ws, Context context, EventEncoder encoder) {
    super(encoder);
    this.ws = ws;
    this.context = context;
  }

  @Override
  void write(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    context.runOnContext(v -> {
      if (!ws.isClosed()) {
        ws.writeTextMessage(text);
      }
    });
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
