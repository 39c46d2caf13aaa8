package io.capstan.apiserver.storage;

/** An update or delete named a key that has no live value. */
public class KeyNotFoundException extends StorageException {
  public KeyNotFoundException(String key) {
    super("key not found: " + key);
  }
}
