package io.capstan.apiserver.errors;

import java.util.List;

/**
 * Constructors for every Status the server answers, with the messages kube-apiserver uses
 * (apimachinery {@code pkg/api/errors}), so that clients print what users know.
 */
public final class StatusErrors {
  private StatusErrors() {}

  public static ApiException notFound(String group, String resource, String name) {
    return new ApiException(404, "NotFound", qualified(group, resource) + " \"" + name + "\" not found",
        new ApiException.Details(name, group, resource, null, null));
  }

  /** A path that names nothing this server serves. */
  public static ApiException pathNotFound() {
    return new ApiException(404, "NotFound", "the server could not find the requested resource",
        new ApiException.Details(null, null, null, null, null));
  }

  public static ApiException alreadyExists(String group, String resource, String name) {
    return new ApiException(409, "AlreadyExists", qualified(group, resource) + " \"" + name + "\" already exists",
        new ApiException.Details(name, group, resource, null, null));
  }

  public static ApiException conflict(String group, String resource, String name) {
    return conflict(group, resource, name,
        "the object has been modified; please apply your changes to the latest version and try again");
  }

  public static ApiException conflict(String group, String resource, String name, String why) {
    return new ApiException(409, "Conflict",
        "Operation cannot be fulfilled on " + qualified(group, resource) + " \"" + name + "\": " + why,
        new ApiException.Details(name, group, resource, null, null));
  }

  public static ApiException invalid(String group, String kind, String name, List<FieldError> errors) {
    String qualifiedKind = group.isEmpty() ? kind : kind + "." + group;
    String msg;
    if (errors.size() == 1) {
      msg = qualifiedKind + " \"" + name + "\" is invalid: " + errors.get(0).message();
    } else {
      msg = qualifiedKind + " \"" + name + "\" is invalid: ["
          + String.join(", ", errors.stream().map(FieldError::message).toList()) + "]";
    }
    return new ApiException(422, "Invalid", msg,
        new ApiException.Details(name, group, kind, null, errors.stream().map(FieldError::cause).toList()));
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "BadRequest", message, null);
  }

  public static ApiException methodNotAllowed(String message) {
    return new ApiException(405, "MethodNotAllowed", message, null);
  }

  public static ApiException unsupportedMediaType(String contentType) {
    return new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf", null);
  }

  public static ApiException requestEntityTooLarge(long limit) {
    return new ApiException(413, "RequestEntityTooLarge", "the request is too large: limit is " + limit + " bytes", null);
  }

  public static ApiException gone(String message) {
    return new ApiException(410, "Expired", message, null);
  }

  public static ApiException forbidden(String group, String resource, String name, String message) {
    return new ApiException(403, "Forbidden", message, new ApiException.Details(name, group, resource, null, null));
  }

  public static ApiException tooLargeResourceVersion(long requested, long current) {
    return new ApiException(504, "Timeout", "Too large resource version: " + requested + ", current: " + current,
        new ApiException.Details(null, null, null, null,
            List.of(new ApiException.Cause("ResourceVersionTooLarge", "Too large resource version", null))), 1);
  }

  public static ApiException internal(String message) {
    return new ApiException(500, "InternalError", "Internal error occurred: " + message, null);
  }

  public static ApiException unavailable(String message) {
    return new ApiException(503, "ServiceUnavailable", message, null, 1);
  }

  /** 504 Timeout with Retry-After: the storage did not answer in time. */
  public static ApiException timeout(String message) {
    return new ApiException(504, "Timeout", message, null, 1);
  }

  private static String qualified(String group, String resource) {
    return group == null || group.isEmpty() ? resource : resource + "." + group;
  }
}
