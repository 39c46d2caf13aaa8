package io.capstan.apiserver.storage;

/** A watch was ended by the store: it closed, or the listener could not keep up. */
public class WatchClosedException extends StorageException {
  public WatchClosedException(String message) {
    super(message);
  }
}
