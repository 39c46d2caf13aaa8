package io.capstan.apiserver.storage;

/** Base of every failure the storage reports; the API layer maps each subclass to a Status. */
public class StorageException extends RuntimeException {
  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
