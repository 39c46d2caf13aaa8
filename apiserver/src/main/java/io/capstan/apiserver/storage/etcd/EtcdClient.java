package io.capstan.apiserver.storage.etcd;

import com.google.protobuf.ByteString;
import io.capstan.apiserver.storage.CompactedException;
import io.capstan.apiserver.storage.KeyValue;
import io.capstan.apiserver.storage.StorageException;
import io.capstan.apiserver.storage.StorageTimeoutException;
import io.capstan.apiserver.storage.StorageUnavailableException;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.WatchGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The gRPC connection to etcd and what every part of the backend shares: key encoding under the
 * configured prefix, conversion of etcd's KeyValue, TTL bookkeeping of leases, and the mapping of
 * gRPC failures onto the storage exceptions.
 */
final class EtcdClient implements AutoCloseable {
  private final EtcdStorageConfig config;
  private final ManagedChannel channel;
  /** TTL of each lease, kept until the lease is surely gone (its TTL plus 10 minutes). */
  private final Map<Long, LeaseTtl> leaseTtl = new ConcurrentHashMap<>();
  private final AtomicLong leaseInserts = new AtomicLong();
  private final AtomicLong lastBackoffReset = new AtomicLong();
  private final AtomicLong compacted = new AtomicLong();
  private volatile boolean closed;

  @SuppressWarnings("deprecation") // nameResolverFactory: the simplest way to give a fixed address list
  EtcdClient(EtcdStorageConfig config) {
    this.config = config;
    this.channel = NettyChannelBuilder.forTarget("capstan-etcd:///members")
        .nameResolverFactory(new EndpointsResolver(config.endpoints()))
        .usePlaintext()
        .keepAliveTime(10, TimeUnit.SECONDS)
        .keepAliveTimeout(5, TimeUnit.SECONDS)
        .keepAliveWithoutCalls(true)
        .maxInboundMessageSize(64 * 1024 * 1024)
        .build();
  }

  EtcdStorageConfig config() {
    return config;
  }

  ManagedChannel channel() {
    return channel;
  }

  KVGrpc.KVBlockingStub kv() {
    return KVGrpc.newBlockingStub(channel).withDeadlineAfter(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  LeaseGrpc.LeaseBlockingStub lease() {
    return LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  WatchGrpc.WatchStub watchStub() {
    return WatchGrpc.newStub(channel);
  }

  /** The highest compacted revision this process knows of (its own compactions, watch cancels). */
  long knownCompacted() {
    return compacted.get();
  }

  void sawCompacted(long revision) {
    compacted.accumulateAndGet(revision, Math::max);
  }

  // ---- keys

  ByteString key(String key) {
    return ByteString.copyFromUtf8(config.keyPrefix() + key);
  }

  /**
   * The etcd prefix of the SPI prefix {@code prefix}. SPI keys start with {@code /}, so the empty
   * SPI prefix under a key prefix {@code /p} is {@code /p/} (not {@code /p}, which would also
   * cover {@code /p2/...}).
   */
  private String etcdPrefix(String prefix) {
    return prefix.isEmpty() && !config.keyPrefix().isEmpty() ? config.keyPrefix() + "/" : config.keyPrefix() + prefix;
  }

  /** First key of the range for {@code prefix} (never empty: etcd rejects an empty key). */
  ByteString rangeStart(String prefix) {
    String k = etcdPrefix(prefix);
    return k.isEmpty() ? ByteString.copyFrom(new byte[] {0}) : ByteString.copyFromUtf8(k);
  }

  /** The end (exclusive) of the range of keys starting with {@code prefix}. */
  ByteString rangeEnd(String prefix) {
    byte[] b = etcdPrefix(prefix).getBytes(StandardCharsets.UTF_8);
    for (int i = b.length - 1; i >= 0; i--) {
      if (b[i] != (byte) 0xff) {
        byte[] end = java.util.Arrays.copyOf(b, i + 1);
        end[i]++;
        return ByteString.copyFrom(end);
      }
    }
    return ByteString.copyFrom(new byte[] {0}); // all keys
  }

  String spiKey(ByteString etcdKey) {
    return etcdKey.toStringUtf8().substring(config.keyPrefix().length());
  }

  /** etcd's KeyValue as the SPI's; the TTL comes from the lease the key is attached to. */
  KeyValue toKv(io.etcd.jetcd.api.KeyValue kv) {
    return new KeyValue(spiKey(kv.getKey()), kv.getValue().toByteArray(), kv.getCreateRevision(),
        kv.getModRevision(), ttlOf(kv.getLease()));
  }

  private record LeaseTtl(long ttlSeconds, long forgetAtNanos) {}

  void rememberLease(long id, long ttlSeconds) {
    long now = System.nanoTime();
    leaseTtl.put(id, new LeaseTtl(ttlSeconds, now + TimeUnit.SECONDS.toNanos(ttlSeconds + 600)));
    if (leaseInserts.incrementAndGet() % 1000 == 0) {
      leaseTtl.values().removeIf(l -> l.forgetAtNanos - now < 0);
    }
  }

  void forgetLease(long id) {
    leaseTtl.remove(id);
  }

  /** The TTL a lease was granted with; asks etcd once for leases granted by another process. */
  long ttlOf(long leaseId) {
    if (leaseId == 0) {
      return 0;
    }
    LeaseTtl known = leaseTtl.get(leaseId);
    if (known != null) {
      return known.ttlSeconds;
    }
    long granted = 0;
    try {
      granted = Math.max(0, lease().leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(leaseId).build())
          .getGrantedTTL());
    } catch (StatusRuntimeException e) {
      // unknown: report no TTL rather than failing the read
    }
    rememberLease(leaseId, granted);
    return granted;
  }

  // ---- calls

  /** Runs one request, mapping gRPC failures to storage exceptions. */
  <T> T call(String what, Supplier<T> request) {
    if (closed) {
      throw new StorageUnavailableException("storage is closed", null);
    }
    try {
      return request.get();
    } catch (StatusRuntimeException e) {
      throw translate(what, e);
    }
  }

  /** The store's current revision, read with a linearizable range that returns no data. */
  long currentRevision() {
    RangeResponse r = call("read the current revision", () -> kv().range(RangeRequest.newBuilder()
        .setKey(key("/")).setCountOnly(true).build()));
    return r.getHeader().getRevision();
  }

  StorageException translate(String what, StatusRuntimeException e) {
    Status s = e.getStatus();
    String desc = s.getDescription() == null ? "" : s.getDescription();
    switch (s.getCode()) {
      case UNAVAILABLE:
        resetBackoff();
        return new StorageUnavailableException("etcd " + config.describe() + " unavailable (" + what + "): " + desc, e);
      case DEADLINE_EXCEEDED:
        resetBackoff();
        return new StorageTimeoutException("etcd " + config.describe() + " did not answer within "
            + config.requestTimeout().toMillis() + " ms (" + what + ")", e);
      case CANCELLED:
        return new StorageUnavailableException("etcd request cancelled (" + what + "): " + desc, e);
      default:
        if (connectionLost(e)) { // the connection broke during the call: its outcome is unknown
          resetBackoff();
          return new StorageUnavailableException("etcd " + config.describe() + " connection lost (" + what + "): "
              + desc, e);
        }
        if (desc.contains("required revision has been compacted")) {
          return new CompactedException(0, knownCompacted());
        }
        return new StorageException("etcd failed to " + what + ": " + s.getCode() + " " + desc, e);
    }
  }

  /**
   * Lets gRPC reconnect at once instead of after its exponential backoff (up to 2 minutes), at most
   * once a second, so that service resumes soon after etcd returns.
   */
  void resetBackoff() {
    long now = System.nanoTime();
    long last = lastBackoffReset.get();
    if (now - last > TimeUnit.SECONDS.toNanos(1) && lastBackoffReset.compareAndSet(last, now)) {
      channel.resetConnectBackoff();
    }
  }

  private static boolean connectionLost(Throwable e) {
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  static boolean isFutureRevision(StatusRuntimeException e) {
    String d = e.getStatus().getDescription();
    return d != null && d.contains("required revision is a future revision");
  }

  static boolean isCompacted(StatusRuntimeException e) {
    String d = e.getStatus().getDescription();
    return d != null && d.contains("required revision has been compacted");
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
