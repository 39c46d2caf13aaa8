package io.capstan.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

/** Columns whose cells come from one function. */
record SimpleColumns(List<Column> columns, BiFunction<JsonNode, Instant, List<Object>> cellFunction)
    implements KindColumns {
  @Override
  public List<Object> cells(JsonNode obj, Instant now) {
    return cellFunction.apply(obj, now);
  }

  /** Name and Created At: what the server prints for kinds without dedicated columns. */
  static SimpleColumns fallback() {
    return new SimpleColumns(
        List.of(Column.nameColumn(), new Column("Created At", "date", "", "When the object was created.", 0)),
        (obj, now) -> List.of(Cells.text(obj, "metadata", "name"), Cells.text(obj, "metadata", "creationTimestamp")));
  }
}
