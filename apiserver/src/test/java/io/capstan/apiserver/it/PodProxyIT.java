package io.capstan.apiserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.testing.Http;
import io.capstan.apiserver.testing.TestApiServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pods/log, exec, attach and portforward: kube-apiserver's checks and messages, and the proxy to a
 * stand-in node agent (a socket in this test) — the secret header, chunked logs, a 101 upgrade
 * with bytes both ways, a non-101 answer relayed as it is.
 */
class PodProxyIT {
  static final String PODS = "/api/v1/namespaces/default/pods";
  static Path secrets;
  static TestApiServer server;
  static Http http;
  static ServerSocket agent;
  static final BlockingQueue<String> heads = new ArrayBlockingQueue<>(16);
  static volatile Function<String, String> answer = h -> "";

  @BeforeAll
  static void start() throws Exception {
    secrets = Files.createTempDirectory("node-secrets");
    Files.writeString(secrets.resolve("n1"), "s3cret\n");
    server = TestApiServer.start(c -> c.withNodeSecretsDir(secrets.toString()));
    http = new Http(server.url());
    agent = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    Thread t = new Thread(PodProxyIT::serveAgent, "fake-agent");
    t.setDaemon(true);
    t.start();
    assertEquals(201, http.post("/api/v1/nodes", "{\"metadata\":{\"name\":\"n1\"}}").code());
    assertEquals(200, http.method("PATCH", "/api/v1/nodes/n1/status",
        "{\"status\":{\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + agent.getLocalPort() + "}}}}",
        "application/merge-patch+json").code());
    assertEquals(201, http.post("/api/v1/nodes", "{\"metadata\":{\"name\":\"noport\"}}").code());
    assertEquals(201, http.post(PODS, pod("two", "\"nodeName\":\"n1\",", "a", "b")).code());
    assertEquals(201, http.post(PODS, pod("one", "\"nodeName\":\"n1\",", "main")).code());
    assertEquals(201, http.post(PODS, pod("pending", "", "main")).code());
    assertEquals(201, http.post(PODS, pod("ghost", "\"nodeName\":\"gone\",", "main")).code());
    assertEquals(201, http.post(PODS, pod("unreached", "\"nodeName\":\"noport\",", "main")).code());
  }

  @AfterAll
  static void stop() throws Exception {
    agent.close();
    server.close();
    Files.deleteIfExists(secrets.resolve("n1"));
    Files.deleteIfExists(secrets);
  }

  static String pod(String name, String extra, String... containers) {
    StringBuilder c = new StringBuilder();
    for (String n : containers) {
      c.append(c.length() == 0 ? "" : ",").append("{\"name\":\"").append(n).append("\",\"image\":\"busybox\"}");
    }
    return "{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{" + extra + "\"containers\":[" + c + "]}}";
  }

  /** One request per connection: records the head, writes {@link #answer}'s reply, echoes after a 101. */
  static void serveAgent() {
    while (!agent.isClosed()) {
      try (Socket s = agent.accept()) {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
          int b = in.read();
          if (b < 0) {
            break;
          }
          head.write(b);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        heads.add(h);
        OutputStream out = s.getOutputStream();
        String reply = answer.apply(h);
        out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (reply.startsWith("HTTP/1.1 101")) {
          byte[] buf = new byte[1024];
          for (int n = in.read(buf); n > 0; n = in.read(buf)) {
            out.write(("echo:" + new String(buf, 0, n, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
          }
        }
      } catch (Exception e) {
        // next connection
      }
    }
  }

  static void assertStatus(Http.Answer a, int code, String message) {
    assertEquals(code, a.code(), a.body());
    assertEquals(message, a.json().path("message").asText(), a.body());
    assertEquals("Status", a.json().path("kind").asText());
  }

  @Test
  void checksLikeKubeApiserver() {
    assertStatus(http.get(PODS + "/nope/log"), 404, "pods \"nope\" not found");
    assertStatus(http.get(PODS + "/two/log"), 400,
        "a container name must be specified for pod two, choose one of: [a b]");
    assertStatus(http.get(PODS + "/two/exec?container=c&command=sh&stdout=true"), 400,
        "container c is not valid for pod two");
    assertStatus(http.get(PODS + "/pending/exec?command=sh&stdout=true"), 400,
        "pod pending does not have a host assigned");
    assertStatus(http.get(PODS + "/one/exec?command=sh"), 400, "you must specify at least 1 of stdin, stdout, stderr");
    Http.Answer tail = http.get(PODS + "/one/log?tailLines=-1");
    assertEquals(422, tail.code(), tail.body());
    assertTrue(tail.json().path("message").asText().contains("tailLines: Invalid value: -1"), tail.body());
    assertEquals(503, http.get(PODS + "/ghost/log").code());
    Http.Answer noPort = http.get(PODS + "/unreached/log");
    assertEquals(503, noPort.code());
    assertTrue(noPort.json().path("message").asText().contains("publishes no node agent port"), noPort.body());
    assertEquals(405, http.method("DELETE", PODS + "/one/exec?command=sh&stdout=true", "", "application/json").code());
  }

  @Test
  void logsAreStreamedFromTheAgentWithTheSecret() throws Exception {
    heads.clear();
    answer = h -> "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        + "6\r\nhello\n\r\n6\r\nworld\n\r\n0\r\n\r\n";
    Http.Answer a = http.get(PODS + "/one/log?follow=true&tailLines=2&pretty=false");
    assertEquals(200, a.code(), a.body());
    assertEquals("hello\nworld\n", a.body());
    String head = heads.poll(30, TimeUnit.SECONDS);
    assertTrue(head.startsWith("GET /containerLogs/default/one/main?follow=true&tailLines=2 HTTP/1.1\r\n"), head);
    assertTrue(head.contains("X-Capstan-Node-Secret: s3cret\r\n"), head);
  }

  @Test
  void upgradeIsProxiedAsBytesAndOtherAnswersAreRelayed() throws Exception {
    heads.clear();
    answer = h -> "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: abc\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n";
    URI u = URI.create(server.url());
    try (Socket s = new Socket(u.getHost(), u.getPort())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + PODS + "/one/exec?command=echo&command=hi&stdout=true HTTP/1.1\r\nHost: x\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: k\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String reply = readHead(s.getInputStream());
      assertTrue(reply.startsWith("HTTP/1.1 101"), reply);
      assertTrue(reply.toLowerCase().contains("sec-websocket-protocol: v5.channel.k8s.io"), reply);
      assertTrue(reply.toLowerCase().contains("sec-websocket-accept: abc"), reply);
      assertEquals(1, reply.toLowerCase().split("\r\nupgrade: ", -1).length - 1, "one Upgrade header: " + reply);
      assertEquals(1, reply.toLowerCase().split("\r\nconnection: ", -1).length - 1, "one Connection header: " + reply);
      assertEquals("echo:ping", roundTrip(s, "ping"));
    }
    String head = heads.poll(30, TimeUnit.SECONDS);
    assertTrue(head.startsWith("GET /exec/default/one/main?command=echo&command=hi&stdout=true HTTP/1.1"), head);
    assertTrue(head.contains("Sec-WebSocket-Protocol: v5.channel.k8s.io"), head);

    // plain SPDY (kubectl's fallback: a POST upgrade) is switched and proxied the same way
    heads.clear();
    answer = h -> "HTTP/1.1 101 Switching Protocols\r\nUpgrade: SPDY/3.1\r\nConnection: Upgrade\r\n"
        + "X-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n";
    try (Socket s = new Socket(u.getHost(), u.getPort())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST " + PODS + "/one/portforward HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
          + "Upgrade: SPDY/3.1\r\nConnection: Upgrade\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String reply = readHead(s.getInputStream());
      assertTrue(reply.startsWith("HTTP/1.1 101"), reply);
      assertTrue(reply.toLowerCase().contains("x-stream-protocol-version: portforward.k8s.io"), reply);
      assertEquals("echo:spdy", roundTrip(s, "spdy"));
    }
    String spdyHead = heads.poll(30, TimeUnit.SECONDS);
    assertTrue(spdyHead.startsWith("POST /portForward/default/one HTTP/1.1"), spdyHead);
    assertTrue(spdyHead.contains("Upgrade: SPDY/3.1"), spdyHead);

    answer = h -> "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
        + "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"container not found (\\\"main\\\")\",\"code\":400}";
    Http.Answer refused = http.get(PODS + "/one/exec?command=sh&stdout=true");
    assertStatus(refused, 400, "container not found (\"main\")");
    Http.Answer refusedSpdy = http.post(PODS + "/one/exec?command=sh&stdout=true", "", "application/json");
    assertStatus(refusedSpdy, 400, "container not found (\"main\")");
  }

  /** Writes {@code text} on the switched connection and reads the fake agent's "echo:" answer. */
  private static String roundTrip(Socket s, String text) throws Exception {
    s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
    byte[] buf = new byte[5 + text.length()];
    int n = 0;
    while (n < buf.length) {
      int r = s.getInputStream().read(buf, n, buf.length - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
  }

  static String readHead(InputStream in) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while (!b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      b.write(c);
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }
}
