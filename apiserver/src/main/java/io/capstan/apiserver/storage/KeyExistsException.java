package io.capstan.apiserver.storage;

/** {@link Storage#create} found a live value under the key. */
public class KeyExistsException extends StorageException {
  private final transient KeyValue current;

  public KeyExistsException(KeyValue current) {
    super("key exists: " + current.key());
    this.current = current;
  }

  public KeyValue current() {
    return current;
  }
}
