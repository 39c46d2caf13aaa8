package io.capstan.apiserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.resources.ResourceType;
import io.capstan.apiserver.table.TablePrinter;
import io.capstan.apiserver.watch.WatchObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes watch events as the newline-terminated JSON lines of the watch protocol. In Table mode
 * (kubectl get -w) each object becomes a one-row Table; only the first carries the column
 * definitions, as upstream does.
 */
final class EventEncoder {
  private final ResourceType type;
  private final TablePrinter table;
  private boolean headersSent;

  /** @param table the printer for Table mode, or null for plain objects */
  EventEncoder(ResourceType type, TablePrinter table) {
    this.type = type;
    this.table = table;
  }

  synchronized byte[] event(String eventType, WatchObject obj) {
    byte[] object;
    if (table == null) {
      object = obj.json();
    } else {
      ObjectNode t = table.table(type, List.of(obj.node()), !headersSent, null, null);
      headersSent = true;
      object = Json.bytes(t);
    }
    return frame(eventType, object);
  }

  byte[] bookmark(long revision, boolean initialEventsEnd) {
    ObjectNode o = Json.object().put("kind", type.kind()).put("apiVersion", type.apiVersion());
    ObjectNode meta = o.putObject("metadata").put("resourceVersion", Long.toString(revision));
    if (initialEventsEnd) {
      meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
    }
    return frame("BOOKMARK", Json.bytes(o));
  }

  byte[] error(ApiException e) {
    return frame("ERROR", Json.bytes(Responses.status(e)));
  }

  private static byte[] frame(String eventType, byte[] object) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(object.length + 32);
    out.writeBytes(("{\"type\":\"" + eventType + "\",\"object\":").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(object);
    out.writeBytes("}\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
