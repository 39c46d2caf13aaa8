package io.capstan.apiserver.table;

/**
 * One Table column definition.
 *
 * @param name header, e.g. "Ready"
 * @param type "string", "integer", "boolean", "number" or "date"
 * @param format "name" for the object name column, otherwise ""
 * @param description what the column shows
 * @param priority 0 for default columns, 1 for columns shown only with {@code -o wide}
 */
record Column(String name, String type, String format, String description, int priority) {
  static Column nameColumn() {
    return new Column("Name", "string", "name", "Name of the object, unique within its namespace.", 0);
  }

  static Column age() {
    return new Column("Age", "string", "", "Time since the object was created.", 0);
  }

  static Column string(String name, String description) {
    return new Column(name, "string", "", description, 0);
  }

  static Column integer(String name, String description) {
    return new Column(name, "integer", "", description, 0);
  }

  static Column wide(String name, String description) {
    return new Column(name, "string", "", description, 1);
  }

  static Column containers() {
    return wide("Containers", "Names of the containers in the pod template.");
  }

  static Column images() {
    return wide("Images", "Images of the containers in the pod template.");
  }

  static Column selector() {
    return wide("Selector", "Label selector of the pods this object manages.");
  }
}
