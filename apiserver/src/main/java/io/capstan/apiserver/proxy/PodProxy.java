package io.capstan.apiserver.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.registry.Registry;
import io.capstan.apiserver.resources.ResourceType;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Serves {@code pods/log}, {@code pods/exec}, {@code pods/attach} and {@code pods/portforward} by
 * proxying to the agent of the pod's node: the pod, the container and the Node are checked on a
 * worker thread (storage reads), then the stream runs on the event loop with no thread of its own
 * ({@link LogProxy}, {@link UpgradeProxy}). The agent is dialed on 127.0.0.1 at the port the Node
 * publishes in status.daemonEndpoints.kubeletEndpoint.port (agents run on this machine until the
 * agent API has TLS) with the node's secret, read from the secrets directory on every request.
 * exec, attach and portforward are {@code create} on the subresource; there is no authorizer yet.
 */
public final class PodProxy {
  private static final Logger LOG = Logger.getLogger(PodProxy.class);
  /** The pod subresources this proxy serves. */
  public static final Set<String> SUBRESOURCES = Set.of("log", "exec", "attach", "portforward");
  /** Log streams open at once to one agent (more wait for one to end). */
  static final int MAX_LOG_STREAMS = 256;

  private final Registry registry;
  private final ResourceType pods;
  private final ResourceType nodes;
  private final Path secretsDir;
  private final BiConsumer<HttpServerResponse, ApiException> errors;
  private volatile Clients clients;

  private record Clients(Vertx vertx, HttpClient http, NetClient net) {}

  /**
   * A proxy over {@code registry} with the node secrets in {@code secretsDir}; {@code errors}
   * writes a Status answer.
   */
  public PodProxy(Registry registry, Path secretsDir, BiConsumer<HttpServerResponse, ApiException> errors) {
    this.registry = registry;
    this.pods = registry.catalog().find("", "v1", "pods").orElseThrow();
    this.nodes = registry.catalog().find("", "v1", "nodes").orElseThrow();
    this.secretsDir = secretsDir;
    this.errors = errors;
  }

  /** Serves subresource {@code sub} of pod {@code ns}/{@code name}. */
  public void handle(RoutingContext ctx, String ns, String name, String sub) {
    var req = ctx.request();
    var method = req.method().name();
    boolean log = sub.equals("log");
    if (log ? !method.equals("GET") : !method.equals("GET") && !method.equals("POST")) {
      errors.accept(req.response(), StatusErrors.methodNotAllowed(
          "the server does not allow this method on the requested resource"));
      return;
    }
    ctx.vertx().<AgentTarget>executeBlocking(() -> target(ns, name, sub, req.params()), false)
        .onComplete(ar -> {
          if (ar.failed()) {
            Throwable e = ar.cause();
            if (e instanceof ApiException a) {
              errors.accept(req.response(), a);
            } else {
              LOG.errorf(e, "pods/%s %s/%s failed", sub, ns, name);
              errors.accept(req.response(), StatusErrors.internal(e.toString()));
            }
            return;
          }
          Clients c = clients(ctx.vertx());
          if (log) {
            LogProxy.proxy(c.http(), ar.result(), ctx, errors);
          } else {
            UpgradeProxy.proxy(c.net(), ar.result(), ctx, errors);
          }
        });
  }

  /** The checks and lookups before any byte goes to the agent (blocking: storage and a file read). */
  private AgentTarget target(String ns, String name, String sub, io.vertx.core.MultiMap q) {
    JsonNode pod = registry.get(pods, ns, name, null);
    String path = PodTargets.agentPath(sub, pod, q);
    String node = PodTargets.node(pod);
    JsonNode n;
    try {
      n = registry.get(nodes, null, node, null);
    } catch (ApiException e) {
      if (e.code() == 404) {
        throw StatusErrors.unavailable("node \"" + node + "\" of pod " + name + " is not registered");
      }
      throw e;
    }
    int port = n.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
    if (port <= 0 || port > 65535) {
      throw StatusErrors.unavailable("node \"" + node + "\" publishes no node agent port"
          + " (status.daemonEndpoints.kubeletEndpoint.Port)");
    }
    return new AgentTarget(node, port, secret(node), path);
  }

  private String secret(String node) {
    if (secretsDir == null) {
      throw StatusErrors.unavailable("this server has no node secrets directory (--node-secrets-dir):"
          + " it cannot reach the node agent of \"" + node + "\"");
    }
    if (node.contains("/") || node.startsWith(".")) {
      throw StatusErrors.internal("invalid node name \"" + node + "\"");
    }
    try {
      return Files.readString(secretsDir.resolve(node), StandardCharsets.US_ASCII).trim();
    } catch (NoSuchFileException e) {
      throw StatusErrors.unavailable("no secret for node \"" + node + "\" in " + secretsDir
          + ": its agent has not started with this --node-secrets-dir");
    } catch (IOException e) {
      throw StatusErrors.internal("cannot read the secret of node \"" + node + "\": " + e.getMessage());
    }
  }

  private Clients clients(Vertx vertx) {
    Clients c = clients;
    if (c == null || c.vertx() != vertx) {
      synchronized (this) {
        c = clients;
        if (c == null || c.vertx() != vertx) {
          c = new Clients(vertx,
              vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000).setKeepAlive(false)
                  .setMaxPoolSize(MAX_LOG_STREAMS)),
              vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000).setTcpNoDelay(true)));
          clients = c;
        }
      }
    }
    return c;
  }

  /** Releases the clients. */
  public void close() {
    Clients c = clients;
    if (c != null) {
      c.http().close();
      c.net().close();
    }
  }
}
