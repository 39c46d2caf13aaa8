package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.storage.KeyValue;

/**
 * Converts between stored bytes and API objects. Stored bytes never contain
 * {@code metadata.resourceVersion} (it is the key's modRevision, injected on every read), so that
 * rewriting an unchanged object yields identical bytes and storage can skip the no-op.
 */
public final class StoredObjects {
  private StoredObjects() {}

  /** The object stored in {@code kv}, with resourceVersion set to {@code kv.modRevision()}. */
  public static ObjectNode decode(KeyValue kv) {
    return decode(kv.value(), kv.modRevision());
  }

  public static ObjectNode decode(byte[] value, long revision) {
    ObjectNode obj = Json.parseObject(value);
    Json.metadata(obj).put("resourceVersion", Long.toString(revision));
    return obj;
  }

  /**
   * The object as {@link #decode(KeyValue)} would give it back after {@code obj} was written as
   * {@code kv} (its bytes being {@link #encode}{@code (obj)}), without parsing them again: {@code obj}
   * itself, its selfLink dropped and its resourceVersion set to the write's revision (last in its
   * metadata, as decoding puts it).
   */
  public static ObjectNode written(ObjectNode obj, KeyValue kv) {
    ObjectNode meta = Json.metadata(obj);
    meta.remove("selfLink");
    meta.remove("resourceVersion");
    meta.put("resourceVersion", Long.toString(kv.modRevision()));
    return obj;
  }

  /** The bytes to store for {@code obj}: a copy without resourceVersion and selfLink. */
  public static byte[] encode(ObjectNode obj) {
    ObjectNode copy = obj.deepCopy();
    ObjectNode meta = Json.metadata(copy);
    meta.remove("resourceVersion");
    meta.remove("selfLink");
    return Json.bytes(copy);
  }
}
