package io.capstan.apiserver.storage;

/** The backend did not answer within its deadline (API: 504 Timeout with Retry-After). */
public class StorageTimeoutException extends StorageUnavailableException {
  public StorageTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
