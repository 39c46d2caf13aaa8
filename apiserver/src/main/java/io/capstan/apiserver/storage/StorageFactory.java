package io.capstan.apiserver.storage;

import io.capstan.apiserver.storage.etcd.EtcdStorage;
import io.capstan.apiserver.storage.etcd.EtcdStorageConfig;
import io.capstan.apiserver.storage.sqlite.SqliteStorage;
import io.capstan.apiserver.storage.sqlite.SqliteStorageConfig;
import java.nio.file.Path;

/**
 * Opens the backend named by a storage URL: {@code sqlite:PATH} (PATH is a directory) or {@code
 * etcd://HOST:PORT[,HOST:PORT...][/PREFIX]} (see {@link EtcdStorageConfig#parse}).
 */
public final class StorageFactory {
  private StorageFactory() {}

  public static Storage open(String url) {
    if (url.startsWith("sqlite:")) {
      Path dir = Path.of(url.substring("sqlite:".length()));
      return SqliteStorage.open(SqliteStorageConfig.defaults(dir));
    }
    if (url.startsWith("etcd://")) {
      return EtcdStorage.open(EtcdStorageConfig.parse(url));
    }
    throw new IllegalArgumentException("unsupported storage URL (expected sqlite:DIR or etcd://HOST:PORT[,HOST:PORT...]): " + url);
  }
}
