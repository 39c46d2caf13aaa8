package io.capstan.apiserver.storage.etcd;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of an {@link EtcdStorage}. Parsed from a storage URL by {@link #parse} or built from
 * {@link #defaults} and the {@code with*} methods.
 *
 * <p>URL form: {@code etcd://HOST:PORT[,HOST:PORT...][/PREFIX]}. The optional path is put in front
 * of every key (so {@code etcd://h:2379/capstan-a} stores {@code /capstan-a/registry/...}); without
 * it the keys are exactly Kubernetes' {@code /registry/...}.
 *
 * @param endpoints {@code host:port} of the etcd members (plain-text gRPC)
 * @param keyPrefix put in front of every key; empty or starting with {@code /}, never ending in one
 * @param requestTimeout deadline of each etcd request; past it the request fails as unavailable
 * @param connectTimeout how long {@link EtcdStorage#open} retries an unreachable etcd at start
 * @param connectRetryInterval pause between those attempts
 * @param watchRetryInterval pause before the shared watch is re-opened after etcd was lost
 * @param watchCacheEvents recent events kept in memory for watches that start in the past
 * @param compactionInterval period of automatic compaction (keeps one interval of history, as
 *     kube-apiserver does); zero disables it
 */
public record EtcdStorageConfig(
    List<String> endpoints,
    String keyPrefix,
    Duration requestTimeout,
    Duration connectTimeout,
    Duration connectRetryInterval,
    Duration watchRetryInterval,
    int watchCacheEvents,
    Duration compactionInterval) {

  public EtcdStorageConfig {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no etcd endpoint given");
    }
    for (String e : endpoints) {
      int colon = e.lastIndexOf(':');
      if (colon <= 0 || colon == e.length() - 1 || !e.substring(colon + 1).chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("etcd endpoint \"" + e + "\" is not HOST:PORT");
      }
    }
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    if (!keyPrefix.isEmpty() && (!keyPrefix.startsWith("/") || keyPrefix.endsWith("/"))) {
      throw new IllegalArgumentException("etcd key prefix must start with / and not end with one: " + keyPrefix);
    }
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(connectRetryInterval, "connectRetryInterval");
    Objects.requireNonNull(watchRetryInterval, "watchRetryInterval");
    Objects.requireNonNull(compactionInterval, "compactionInterval");
  }

  /** Defaults: 5 s request deadline, 60 s of start-up retries every 2 s, compaction every 5 min. */
  public static EtcdStorageConfig defaults(List<String> endpoints) {
    return new EtcdStorageConfig(endpoints, "", Duration.ofSeconds(5), Duration.ofSeconds(60),
        Duration.ofSeconds(2), Duration.ofSeconds(1), 10_000, Duration.ofMinutes(5));
  }

  /** Parses {@code etcd://HOST:PORT[,HOST:PORT...][/PREFIX]} into the defaults plus a prefix. */
  public static EtcdStorageConfig parse(String url) {
    if (!url.startsWith("etcd://")) {
      throw new IllegalArgumentException("not an etcd storage URL: " + url);
    }
    String rest = url.substring("etcd://".length());
    int slash = rest.indexOf('/');
    String hosts = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : URLDecoder.decode(rest.substring(slash), StandardCharsets.UTF_8);
    while (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    List<String> endpoints = new ArrayList<>();
    for (String h : hosts.split(",")) {
      if (!h.isBlank()) {
        endpoints.add(h.trim());
      }
    }
    return defaults(endpoints).withKeyPrefix(prefix);
  }

  public EtcdStorageConfig withKeyPrefix(String prefix) {
    return new EtcdStorageConfig(endpoints, prefix, requestTimeout, connectTimeout, connectRetryInterval,
        watchRetryInterval, watchCacheEvents, compactionInterval);
  }

  public EtcdStorageConfig withTimeouts(Duration request, Duration connect, Duration connectRetry) {
    return new EtcdStorageConfig(endpoints, keyPrefix, request, connect, connectRetry, watchRetryInterval,
        watchCacheEvents, compactionInterval);
  }

  public EtcdStorageConfig withWatchRetryInterval(Duration interval) {
    return new EtcdStorageConfig(endpoints, keyPrefix, requestTimeout, connectTimeout, connectRetryInterval,
        interval, watchCacheEvents, compactionInterval);
  }

  public EtcdStorageConfig withWatchCacheEvents(int events) {
    return new EtcdStorageConfig(endpoints, keyPrefix, requestTimeout, connectTimeout, connectRetryInterval,
        watchRetryInterval, events, compactionInterval);
  }

  public EtcdStorageConfig withCompactionInterval(Duration interval) {
    return new EtcdStorageConfig(endpoints, keyPrefix, requestTimeout, connectTimeout, connectRetryInterval,
        watchRetryInterval, watchCacheEvents, interval);
  }

  /** The endpoints as written in a URL, for messages. */
  public String describe() {
    return String.join(",", endpoints) + keyPrefix;
  }
}
