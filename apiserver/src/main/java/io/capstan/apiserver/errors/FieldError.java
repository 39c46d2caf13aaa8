package io.capstan.apiserver.errors;

/**
 * One validation failure on one field, as apimachinery's field.Error: the path ("metadata.name"),
 * the type ("Required value", "Invalid value", ...) and a detail.
 */
public record FieldError(Type type, String field, Object badValue, String detail) {

  /** The error types and the cause reason each maps to. */
  public enum Type {
    REQUIRED("FieldValueRequired", "Required value"),
    INVALID("FieldValueInvalid", "Invalid value"),
    NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
    DUPLICATE("FieldValueDuplicate", "Duplicate value"),
    FORBIDDEN("FieldValueForbidden", "Forbidden"),
    TOO_LONG("FieldValueTooLong", "Too long");

    final String reason;
    final String text;

    Type(String reason, String text) {
      this.reason = reason;
      this.text = text;
    }
  }

  public static FieldError required(String field, String detail) {
    return new FieldError(Type.REQUIRED, field, null, detail);
  }

  public static FieldError invalid(String field, Object value, String detail) {
    return new FieldError(Type.INVALID, field, value, detail);
  }

  public static FieldError forbidden(String field, String detail) {
    return new FieldError(Type.FORBIDDEN, field, null, detail);
  }

  public static FieldError notSupported(String field, Object value, java.util.List<String> valid) {
    return new FieldError(Type.NOT_SUPPORTED, field, value,
        "supported values: " + String.join(", ", valid.stream().map(v -> "\"" + v + "\"").toList()));
  }

  public static FieldError duplicate(String field, Object value) {
    return new FieldError(Type.DUPLICATE, field, value, "");
  }

  /** The message as apimachinery prints it: {@code field: Type: "value": detail}. */
  public String message() {
    StringBuilder sb = new StringBuilder(field).append(": ").append(type.text);
    if (type != Type.REQUIRED && type != Type.FORBIDDEN && type != Type.TOO_LONG && badValue != null) {
      sb.append(": ").append(badValue instanceof String ? "\"" + badValue + "\"" : String.valueOf(badValue));
    }
    if (detail != null && !detail.isEmpty()) {
      sb.append(": ").append(detail);
    }
    return sb.toString();
  }

  /** The Status cause of this error. */
  public ApiException.Cause cause() {
    String msg = message();
    String text = msg.substring(field.length() + 2);
    return new ApiException.Cause(type.reason, text, field);
  }
}
