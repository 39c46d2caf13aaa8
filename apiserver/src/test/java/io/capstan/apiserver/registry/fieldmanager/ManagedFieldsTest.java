package io.capstan.apiserver.registry.fieldmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Manager identities (written by hand) and entry times (cached per second) as Jackson and the JDK give them. */
class ManagedFieldsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void identityIsTheCompactJsonOfManagerOperationApiVersionAndSubresource() throws Exception {
    String[] names = {"kubectl", "", "quote\"back\\slash/slash", "tab\tnl\nctl\u0001\u001f\u007f",
        "\u00e9t\u00e9 \ud83d\ude00", null};
    for (String manager : names) {
      for (String op : new String[] {ManagedFields.UPDATE, ManagedFields.APPLY}) {
        for (String version : new String[] {"v1", "", null, "apps/v1"}) {
          for (String sub : new String[] {null, "", "status", "st\"at"}) {
            ObjectNode o = MAPPER.createObjectNode().put("manager", manager).put("operation", op);
            if (!op.equals(ManagedFields.APPLY) && version != null && !version.isEmpty()) {
              o.put("apiVersion", version);
            }
            if (sub != null && !sub.isEmpty()) {
              o.put("subresource", sub);
            }
            assertEquals(MAPPER.writeValueAsString(o), ManagedFields.identity(manager, op, version, sub));
          }
        }
      }
    }
  }

  @Test
  void timesAreFormattedPerSecondWhateverTheOrder() {
    long[] seconds = {1_700_000_000L, 1_700_000_000L, 1_700_000_001L, 0L, 1_700_000_000L, 253_402_300_799L};
    String[] expected = {"2023-11-14T22:13:20Z", "2023-11-14T22:13:20Z", "2023-11-14T22:13:21Z",
        "1970-01-01T00:00:00Z", "2023-11-14T22:13:20Z", "9999-12-31T23:59:59Z"};
    for (int i = 0; i < seconds.length; i++) {
      assertEquals(expected[i], ManagedFields.format(Instant.ofEpochSecond(seconds[i], 999_999_999)));
    }
  }
}
