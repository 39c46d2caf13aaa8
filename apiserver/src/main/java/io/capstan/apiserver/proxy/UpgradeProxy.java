package io.capstan.apiserver.proxy;

import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.errors.StatusErrors;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.RoutingContext;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * {@code pods/exec}, {@code attach} and {@code portforward}: an upgrade-aware byte proxy. It opens
 * a TCP connection to the agent, sends the request head (agent path, the client's method, its
 * Upgrade, Connection, Sec-WebSocket-* and X-Stream-Protocol-Version headers, the node secret) and
 * reads the agent's response head. On 101 the same headers go to the client with 101, the client
 * connection becomes a raw socket and bytes are piped both ways (with back-pressure) until either
 * side closes; anything else is relayed as an ordinary response (status, headers, body), so a
 * client sees the Status message and may fall back to another protocol. Both WebSocket upgrades
 * (GET) and plain SPDY upgrades (POST, kubectl's fallback) are proxied; see {@link #rawSocket} for
 * how a POST upgrade gets its raw socket from Vert.x 4.
 */
final class UpgradeProxy {
  /** The agent's response head may be at most this long. */
  static final int MAX_HEAD = 64 * 1024;
  private static final Set<String> FORWARDED = Set.of("upgrade", "connection", "sec-websocket-key",
      "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions", "x-stream-protocol-version",
      "origin");
  private static final Set<String> NOT_COPIED = Set.of("connection", "content-length", "transfer-encoding",
      "upgrade");

  private UpgradeProxy() {}

  static void proxy(NetClient net, AgentTarget t, RoutingContext ctx,
      BiConsumer<HttpServerResponse, ApiException> errors) {
    HttpServerRequest req = ctx.request();
    String method = req.method() == HttpMethod.GET ? "GET" : "POST";
    req.pause();
    net.connect(t.port(), "127.0.0.1").onSuccess(agent -> {
      StringBuilder head = new StringBuilder(method).append(' ').append(t.pathAndQuery())
          .append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(t.port()).append("\r\nX-Capstan-Node-Secret: ")
          .append(t.secret()).append("\r\n");
      req.headers().forEach(h -> {
        if (FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
          head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
      });
      head.append("\r\n");
      Buffer received = Buffer.buffer();
      boolean[] done = {false};
      agent.handler(b -> {
        if (done[0]) {
          return;
        }
        received.appendBuffer(b);
        int end = indexOf(received, "\r\n\r\n");
        if (end < 0) {
          if (received.length() > MAX_HEAD) {
            done[0] = true;
            agent.close();
            errors.accept(req.response(), StatusErrors.internal("the node agent sent an oversized response head"));
          }
          return;
        }
        done[0] = true;
        agent.pause();
        agent.handler(null);
        Head h = Head.parse(received.getString(0, end, "ISO-8859-1"));
        Buffer rest = received.getBuffer(end + 4, received.length());
        if (h == null) {
          agent.close();
          errors.accept(req.response(), StatusErrors.internal("the node agent sent a malformed response"));
        } else if (h.code() == 101) {
          upgrade(req, agent, h, rest, errors);
        } else {
          relay(req, agent, h, rest);
        }
      });
      agent.closeHandler(v -> {
        if (!done[0]) {
          done[0] = true;
          errors.accept(req.response(), StatusErrors.unavailable("the node agent of \"" + t.node()
              + "\" closed the connection without an answer"));
        }
      });
      agent.write(Buffer.buffer(head.toString().getBytes(StandardCharsets.ISO_8859_1)));
    }).onFailure(e -> errors.accept(req.response(), StatusErrors.unavailable("error dialing the node agent of \""
        + t.node() + "\" at 127.0.0.1:" + t.port() + ": " + e.getMessage())));
  }

  private static void upgrade(HttpServerRequest req, NetSocket agent, Head h, Buffer rest,
      BiConsumer<HttpServerResponse, ApiException> errors) {
    HttpServerResponse res = req.response();
    h.headers().forEach(kv -> {
      String name = kv.get(0).toLowerCase(Locale.ROOT);
      if (!name.equals("content-length") && !name.equals("transfer-encoding")) {
        res.headers().add(kv.get(0), kv.get(1));
      }
    });
    rawSocket(req).onSuccess(client -> {
      if (rest.length() > 0) {
        client.write(rest);
      }
      client.closeHandler(v -> agent.close());
      agent.closeHandler(v -> client.close());
      client.pipeTo(agent);
      agent.pipeTo(client);
      agent.resume();
    }).onFailure(e -> {
      agent.close();
      if (!res.headWritten()) {
        res.headers().clear();
        errors.accept(res, StatusErrors.internal("cannot switch protocols: " + e.getMessage()));
      } else {
        res.reset();
      }
    });
  }

  /**
   * The client's connection as a raw socket, with the 101 and the headers already set on the
   * response. Vert.x 4's {@code toNetSocket()} switches only GET and CONNECT requests, although its
   * HTTP/1.x response can switch any request that carries {@code Connection: Upgrade}; for a POST
   * upgrade (SPDY) that response method is called directly, telling it the request was an upgrade.
   */
  @SuppressWarnings("unchecked")
  static Future<NetSocket> rawSocket(HttpServerRequest req) {
    if (req.method() == HttpMethod.GET) {
      return req.toNetSocket();
    }
    try {
      Object http1 = unwrap(req);
      Object res = http1.getClass().getMethod("response").invoke(http1);
      Method m = res.getClass().getDeclaredMethod("netSocket", HttpMethod.class, MultiMap.class);
      m.setAccessible(true);
      return (Future<NetSocket>) m.invoke(res, HttpMethod.GET, req.headers());
    } catch (ReflectiveOperationException | RuntimeException e) {
      return Future.failedFuture("this server cannot switch a " + req.method() + " request to another protocol ("
          + e + ")");
    }
  }

  /** The connection's own request under the wrappers Vert.x Web and Quarkus put around it. */
  private static Object unwrap(HttpServerRequest req) throws ReflectiveOperationException {
    Object r = req;
    for (int depth = 0; depth < 8; depth++) {
      if (r.getClass().getName().equals("io.vertx.core.http.impl.Http1xServerRequest")) {
        return r;
      }
      Object inner = null;
      for (Class<?> c = r.getClass(); c != null && inner == null; c = c.getSuperclass()) {
        for (java.lang.reflect.Field f : c.getDeclaredFields()) {
          if (f.getName().equals("delegate") && HttpServerRequest.class.isAssignableFrom(f.getType())) {
            f.setAccessible(true);
            inner = f.get(r);
            break;
          }
        }
      }
      if (inner == null) {
        break;
      }
      r = inner;
    }
    throw new NoSuchMethodException("no HTTP/1.x request under " + req.getClass().getName());
  }

  private static void relay(HttpServerRequest req, NetSocket agent, Head h, Buffer rest) {
    HttpServerResponse res = req.response();
    res.setStatusCode(h.code());
    h.headers().forEach(kv -> {
      if (!NOT_COPIED.contains(kv.get(0).toLowerCase(Locale.ROOT))) {
        res.headers().add(kv.get(0), kv.get(1));
      }
    });
    // the agent closes after every response, so the body is what comes until the close
    Buffer body = Buffer.buffer().appendBuffer(rest);
    agent.handler(b -> {
      if (body.length() < MAX_HEAD) {
        body.appendBuffer(b);
      }
    });
    agent.closeHandler(v -> {
      if (!res.ended()) {
        res.end(body);
      }
    });
    agent.resume();
  }

  private static int indexOf(Buffer b, String s) {
    byte[] needle = s.getBytes(StandardCharsets.ISO_8859_1);
    outer:
    for (int i = 0; i + needle.length <= b.length(); i++) {
      for (int j = 0; j < needle.length; j++) {
        if (b.getByte(i + j) != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** A parsed response head: the status code and the headers as name/value pairs. */
  private record Head(int code, List<List<String>> headers) {
    static Head parse(String text) {
      String[] lines = text.split("\r\n");
      String[] status = lines[0].split(" ", 3);
      if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
        return null;
      }
      int code;
      try {
        code = Integer.parseInt(status[1]);
      } catch (NumberFormatException e) {
        return null;
      }
      List<List<String>> headers = new java.util.ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.add(List.of(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
        }
      }
      return new Head(code, headers);
    }
  }
}
