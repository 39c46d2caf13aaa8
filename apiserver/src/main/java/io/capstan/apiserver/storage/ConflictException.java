package io.capstan.apiserver.storage;

/**
 * A compare-and-swap lost: the key's modRevision was not the expected one. Carries the current
 * version so that the caller can retry without another read.
 */
public class ConflictException extends StorageException {
  private final transient KeyValue current;

  public ConflictException(String key, long expected, KeyValue current) {
    super("conflict on " + key + ": expected revision " + expected + ", found " + current.modRevision());
    this.current = current;
  }

  public KeyValue current() {
    return current;
  }
}
