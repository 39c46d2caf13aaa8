package io.capstan.apiserver.registry.strategy;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The status-subresource rule: writes to the main resource leave {@code .status} as stored. */
final class StatusRules {
  private StatusRules() {}

  /** Puts back the stored status (or removes a status the stored object does not have). */
  static void keepStoredStatus(ObjectNode obj, ObjectNode old) {
    if (old.has("status")) {
      obj.set("status", old.get("status").deepCopy());
    } else {
      obj.remove("status");
    }
  }
}
