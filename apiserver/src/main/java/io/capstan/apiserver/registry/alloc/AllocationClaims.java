package io.capstan.apiserver.registry.alloc;

import io.capstan.apiserver.storage.KeyExistsException;
import io.capstan.apiserver.storage.KeyNotFoundException;
import io.capstan.apiserver.storage.KeyValue;
import io.capstan.apiserver.storage.ListResult;
import io.capstan.apiserver.storage.Storage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The taken ClusterIPs and NodePorts as keys in storage, one per address or port, so that every API
 * server on one store agrees on them: a key is created only if absent (the store's compare-and-swap),
 * so of two servers claiming the same address at once exactly one succeeds. The value records
 * when the claim was made, so that a claim left by a server that crashed between claiming and
 * writing its Service can be recognised as abandoned later.
 */
final class AllocationClaims {
  static final String IPS = "/registry/ranges/serviceips/";
  static final String PORTS = "/registry/ranges/servicenodeports/";

  private final Storage storage;
  private final Clock clock;

  AllocationClaims(Storage storage, Clock clock) {
    this.storage = storage;
    this.clock = clock;
  }

  /** Claims {@code key}; false when it is claimed already (here or by another server). */
  boolean claim(String key) {
    try {
      storage.create(key, ("{\"claimedAt\":\"" + clock.instant() + "\"}").getBytes(StandardCharsets.UTF_8), 0);
      return true;
    } catch (KeyExistsException e) {
      return false;
    }
  }

  /** Whether {@code key} is claimed now. */
  boolean claimed(String key) {
    return storage.get(key, 0).isPresent();
  }

  /** Gives {@code key} back; a claim already gone is fine. */
  void release(String key) {
    try {
      storage.delete(key, 0);
    } catch (KeyNotFoundException e) {
      // released already
    }
  }

  /** Every claim under {@code prefix} (key without the prefix -> when it was claimed). */
  Map<String, Instant> all(String prefix) {
    Map<String, Instant> out = new LinkedHashMap<>();
    String start = null;
    while (true) {
      ListResult page = storage.list(prefix, start, 0, 1000);
      for (KeyValue kv : page.items()) {
        out.put(kv.key().substring(prefix.length()), claimedAt(kv.value()));
      }
      if (!page.more() || page.items().isEmpty()) {
        return out;
      }
      start = page.items().get(page.items().size() - 1).key() + "\0";
    }
  }

  /** Whether a claim made at {@code at} is older than {@code age}. */
  boolean olderThan(Instant at, Duration age) {
    return at.plus(age).isBefore(clock.instant());
  }

  private static Instant claimedAt(byte[] value) {
    String s = new String(value, StandardCharsets.UTF_8);
    int i = s.indexOf("\"claimedAt\":\"");
    if (i < 0) {
      return Instant.EPOCH;
    }
    int from = i + "\"claimedAt\":\"".length();
    int to = s.indexOf('"', from);
    try {
      return Instant.parse(s.substring(from, to));
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }
}
