package io.capstan.apiserver.storage;

import io.capstan.apiserver.storage.sqlite.SqliteStorage;
import io.capstan.apiserver.storage.sqlite.SqliteStorageConfig;
import java.nio.file.Path;

/** Opens the backend named by a storage URL: {@code sqlite:PATH} (PATH is a directory). */
public final class StorageFactory {
  private StorageFactory() {}

  public static Storage open(String url) {
    if (url.startsWith("sqlite:")) {
      Path dir = Path.of(url.substring("sqlite:".length()));
      return SqliteStorage.open(SqliteStorageConfig.defaults(dir));
    }
    throw new IllegalArgumentException("unsupported storage URL (expected sqlite:DIR): " + url);
  }
}
