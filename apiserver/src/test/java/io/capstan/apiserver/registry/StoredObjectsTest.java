package io.capstan.apiserver.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.storage.KeyValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stored encoding and the served JSON spliced from it: byte for byte what serializing the
 * copy without resourceVersion and selfLink, and the object after {@link StoredObjects#written},
 * give.
 */
class StoredObjectsTest {
  static List<String> objects() {
    return List.of(
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\",\"namespace\":\"ns\"},"
            + "\"data\":{\"k\":\"v\"}}",
        // resourceVersion and selfLink first, in the middle and last
        "{\"metadata\":{\"resourceVersion\":\"7\",\"name\":\"a\",\"selfLink\":\"/x\",\"uid\":\"u\"},\"kind\":\"K\"}",
        "{\"kind\":\"K\",\"metadata\":{\"name\":\"a\",\"labels\":{\"resourceVersion\":\"x\"},\"resourceVersion\":\"9\"}}",
        // metadata empty once they are dropped, or empty from the start
        "{\"kind\":\"K\",\"metadata\":{\"resourceVersion\":\"3\",\"selfLink\":\"/s\"},\"spec\":{}}",
        "{\"metadata\":{}}",
        // no metadata, or metadata that is not an object: stored with an empty one
        "{\"kind\":\"K\",\"spec\":{\"a\":[1,2.50,-3e10,null,true]}}",
        "{\"metadata\":\"odd\",\"kind\":\"K\"}",
        // escapes, non-ASCII text, big and fractional numbers, nested metadata-named fields
        "{\"metadata\":{\"name\":\"\\u00e9\\\"\\\\\\n\\u0001\\ud83d\\ude00/\",\"generation\":12345678901234567890},"
            + "\"spec\":{\"metadata\":{\"resourceVersion\":\"kept\"},\"q\":0.1000}}");
  }

  @ParameterizedTest
  @MethodSource("objects")
  void encodingIsTheCopyWithoutResourceVersionAndSelfLink(String json) {
    ObjectNode obj = Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
    ObjectNode copy = obj.deepCopy();
    ObjectNode meta = Json.metadata(copy);
    meta.remove("resourceVersion");
    meta.remove("selfLink");
    assertEquals(new String(Json.bytes(copy), StandardCharsets.UTF_8),
        new String(StoredObjects.encodeWritten(obj).bytes(), StandardCharsets.UTF_8));
    assertArrayEquals(Json.bytes(copy), StoredObjects.encode(obj));
  }

  @ParameterizedTest
  @MethodSource("objects")
  void servedBytesAreTheWrittenObjectSerialized(String json) {
    ObjectNode obj = Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
    StoredObjects.Encoded encoded = StoredObjects.encodeWritten(obj);
    KeyValue kv = new KeyValue("/k", encoded.bytes(), 41, 42, 0);
    byte[] served = encoded.served(42);
    if (!(obj.get("metadata") instanceof ObjectNode)) {
      assertNull(served);
      return;
    }
    ObjectNode written = StoredObjects.written(obj, kv);
    assertEquals(new String(Json.bytes(written), StandardCharsets.UTF_8), new String(served, StandardCharsets.UTF_8));
    assertEquals(written, StoredObjects.decode(kv));
  }
}
