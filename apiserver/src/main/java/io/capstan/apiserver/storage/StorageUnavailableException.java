package io.capstan.apiserver.storage;

/** The backend cannot answer now (closed, disk error, unreachable); the API answers 5xx. */
public class StorageUnavailableException extends StorageException {
  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
