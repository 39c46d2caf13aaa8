package io.capstan.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** The columns of one kind (or group of kinds) and how to compute a row's cells. */
interface KindColumns {
  List<Column> columns();

  /** Cells of one object, one per column (wide columns included), at time {@code now}. */
  List<Object> cells(JsonNode obj, Instant now);

  /**
   * For objects that have finished (a pod that succeeded or failed): the reason of the row's
   * {@code Completed} condition; null otherwise.
   */
  default String completedReason(JsonNode obj) {
    return null;
  }
}
