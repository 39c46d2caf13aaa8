package io.capstan.apiserver.registry;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.storage.KeyValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

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
    return encodeWritten(obj).bytes();
  }

  /**
   * The bytes to store for {@code obj} (as {@link #encode}) and where its metadata closes in them,
   * so that the object as served after the write is those bytes with the resourceVersion spliced
   * in ({@link Encoded#served}) rather than a second serialization. An object without a metadata
   * object is encoded as {@link #encode} always did (with an empty one) and has no splice point.
   */
  public static Encoded encodeWritten(ObjectNode obj) {
    if (!(obj.get("metadata") instanceof ObjectNode)) {
      ObjectNode copy = obj.deepCopy();
      Json.metadata(copy);
      return new Encoded(Json.bytes(copy), -1, false);
    }
    ByteArrayBuilder out = new ByteArrayBuilder(512);
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
      SerializerProvider provider = Json.MAPPER.getSerializerProviderInstance();
      int metadataEnd = -1;
      boolean metadataEmpty = true;
      g.writeStartObject();
      for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        g.writeFieldName(field.getKey());
        if (!field.getKey().equals("metadata")) {
          field.getValue().serialize(g, provider);
          continue;
        }
        g.writeStartObject();
        for (Iterator<Map.Entry<String, JsonNode>> m = field.getValue().fields(); m.hasNext(); ) {
          Map.Entry<String, JsonNode> meta = m.next();
          if (!meta.getKey().equals("resourceVersion") && !meta.getKey().equals("selfLink")) {
            g.writeFieldName(meta.getKey());
            meta.getValue().serialize(g, provider);
            metadataEmpty = false;
          }
        }
        g.flush();
        metadataEnd = out.size();
        g.writeEndObject();
      }
      g.writeEndObject();
      g.flush();
      return new Encoded(out.toByteArray(), metadataEnd, metadataEmpty);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stored bytes with the offset of their metadata's closing brace ({@code metadataEnd}, -1 when
   * unknown) and whether that metadata has no field.
   */
  public record Encoded(byte[] bytes, int metadataEnd, boolean metadataEmpty) {
    /**
     * The JSON of the object as {@link #written} gives it back after these bytes were stored at
     * {@code revision}; null when there is no splice point.
     */
    public byte[] served(long revision) {
      if (metadataEnd < 0) {
        return null;
      }
      byte[] rv = ((metadataEmpty ? "" : ",") + "\"resourceVersion\":\"" + revision + "\"")
          .getBytes(StandardCharsets.US_ASCII);
      byte[] out = new byte[bytes.length + rv.length];
      System.arraycopy(bytes, 0, out, 0, metadataEnd);
      System.arraycopy(rv, 0, out, metadataEnd, rv.length);
      System.arraycopy(bytes, metadataEnd, out, metadataEnd + rv.length, bytes.length - metadataEnd);
      return out;
    }
  }
}
