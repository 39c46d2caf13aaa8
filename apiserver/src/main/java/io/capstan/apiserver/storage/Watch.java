package io.capstan.apiserver.storage;

/** A running watch. Closing it is idempotent and stops delivery soon after it returns. */
public interface Watch extends AutoCloseable {
  @Override
  void close();
}
