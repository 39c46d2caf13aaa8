package io.capstan.apiserver.errors;

import java.util.List;

/**
 * A failure answered as a Kubernetes {@code Status} (kind Status, apiVersion v1). The one place
 * that turns it into HTTP is {@code http.Responses}; everything below HTTP throws it.
 *
 * @see StatusErrors for constructors of every reason the server uses
 */
public class ApiException extends RuntimeException {
  private final int code;
  private final String reason;
  private final Details details;
  private final Integer retryAfterSeconds;

  /** {@code details} of a Status: the object concerned and the field causes. */
  public record Details(String name, String group, String kind, String uid, List<Cause> causes) {}

  /** One cause: {@code reason} such as FieldValueRequired, the message and the field path. */
  public record Cause(String reason, String message, String field) {}

  public ApiException(int code, String reason, String message, Details details) {
    this(code, reason, message, details, null);
  }

  public ApiException(int code, String reason, String message, Details details, Integer retryAfterSeconds) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  public Details details() {
    return details;
  }

  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
