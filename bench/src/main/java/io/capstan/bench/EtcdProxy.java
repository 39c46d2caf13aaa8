package io.capstan.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor under any API server built on capstan's stack (Vert.x HTTP, grpc-java to etcd): an
 * HTTP server that does nothing with a POST but store its body under a new key with the create
 * transaction the API uses ({@code If mod == 0 Then put Else range}) and answer 201 with the body.
 * No decoding, validation, field management or watch. {@link EtcdBench} run against it (its URL in
 * place of the API's) gives the creates per second no server on this stack and machine can beat.
 * Usage: {@code EtcdProxy PORT ETCD_HOST:PORT [worker|async]}: {@code worker} (default) hands each
 * request to a worker thread that blocks on the gRPC call, as the API server does; {@code async}
 * sends the call from the event loop and answers from its callback. Not a test.
 */
public final class EtcdProxy extends AbstractVerticle {
  private static final AtomicLong SEQ = new AtomicLong();
  /** What the API adds to the body it stores (system metadata), as EtcdBench's raw values. */
  private static final ByteString METADATA_PAD = ByteString.copyFrom(new byte[150]);

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    ManagedChannel channel = NettyChannelBuilder.forTarget(args[1]).usePlaintext().build();
    boolean async = args.length > 2 && args[2].equals("async");
    // as Quarkus sizes them: two event loops per core, a large worker pool
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2 * Runtime.getRuntime().availableProcessors())
        .setWorkerPoolSize(200));
    vertx.deployVerticle(() -> new EtcdProxy(port, channel, async), new DeploymentOptions().setInstances(
        2 * Runtime.getRuntime().availableProcessors()))
        .onSuccess(id -> System.out.println("etcd proxy listening on 127.0.0.1:" + port + (async ? " (async)" : "")))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }

  private final int port;
  private final ManagedChannel channel;
  private final boolean async;

  private EtcdProxy(int port, ManagedChannel channel, boolean async) {
    this.port = port;
    this.channel = channel;
    this.async = async;
  }

  @Override
  public void start() {
    vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> handle(req, body)))
        .listen(port, "127.0.0.1");
  }

  private void handle(HttpServerRequest req, Buffer body) {
    if (req.method() != HttpMethod.POST) {
      req.response().setStatusCode(404).end();
      return;
    }
    TxnRequest txn = EtcdBench.createTxn(ByteString.copyFromUtf8("/proxy/" + SEQ.incrementAndGet()),
        ByteString.copyFrom(body.getBytes()).concat(METADATA_PAD));
    if (async) {
      Futures.addCallback(KVGrpc.newFutureStub(channel).txn(txn), new FutureCallback<TxnResponse>() {
        @Override
        public void onSuccess(TxnResponse r) {
          answer(req, r.getSucceeded(), body);
        }

        @Override
        public void onFailure(Throwable e) {
          req.response().setStatusCode(503).end();
        }
      }, MoreExecutors.directExecutor());
      return;
    }
    vertx.executeBlocking(() -> KVGrpc.newBlockingStub(channel).txn(txn).getSucceeded(), false)
        .onSuccess(ok -> answer(req, ok, body))
        .onFailure(e -> req.response().setStatusCode(503).end());
  }

  private static void answer(HttpServerRequest req, boolean created, Buffer body) {
    req.response().setStatusCode(created ? 201 : 409).putHeader("Content-Type", "application/json").end(body);
  }
}
