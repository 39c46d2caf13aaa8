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

  /** The bytes to store for {@code obj}: a copy without resourceVersion and selfLink. */
  public static byte[] encode(ObjectNode obj) {
    ObjectNode copy = obj.deepCopy();
    ObjectNode meta = Json.metadata(copy);
    meta.remove("resourceVersion");
    meta.remove("selfLink");
    return Json.bytes(copy);
  }
}
