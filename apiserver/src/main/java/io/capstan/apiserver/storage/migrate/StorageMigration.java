package io.capstan.apiserver.storage.migrate;

import io.capstan.apiserver.storage.KeyValue;
import io.capstan.apiserver.storage.ListResult;
import io.capstan.apiserver.storage.Storage;
import io.capstan.apiserver.storage.StorageException;
import io.capstan.apiserver.storage.etcd.EtcdStorage;
import io.capstan.apiserver.storage.etcd.EtcdStorageConfig;
import io.capstan.apiserver.storage.sqlite.SqliteStorage;
import io.capstan.apiserver.storage.sqlite.SqliteStorageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Copies every live key of a source store into a target store under the same key with the same
 * bytes. The source is read at one revision (a consistent snapshot) and never written; its
 * background compaction and TTL expiry are switched off while it is open. The target must hold no key unless
 * {@code force} is set, in which case keys present in both are overwritten and keys only in the
 * target are left alone. Objects keep their content; their resourceVersions become the target's
 * revisions. TTL keys (events) keep their original TTL, counted again from the copy.
 *
 * <p>Run it with the source's API server stopped: writes made after the snapshot revision are not
 * copied. A write to the source seen during the copy (its revision moved) fails the migration with
 * {@link SourceInUseException} once the snapshot is copied; an idle running server goes unnoticed.
 */
public final class StorageMigration {
  /** How many keys one list page of the source holds. */
  private static final int PAGE = 500;

  /** What a migration did: the number of keys copied and the source revision they were read at. */
  public record Result(long copied, long sourceRevision) {}

  private StorageMigration() {}

  /**
   * Migrates {@code fromUrl} ({@code sqlite:DIR} of an existing store) into {@code toUrl} ({@code
   * etcd://...} or {@code sqlite:DIR}).
   *
   * @param connectTimeout how long to keep trying an unreachable etcd before giving up
   * @throws IllegalArgumentException for a bad URL, a missing source or a non-empty target
   * @throws StorageException when a backend fails (e.g. etcd unreachable)
   * @throws SourceInUseException when the source was written while it was copied
   */
  public static Result migrate(String fromUrl, String toUrl, boolean force, Duration connectTimeout) {
    if (fromUrl.equals(toUrl)) {
      throw new IllegalArgumentException("--from and --to name the same storage: " + fromUrl);
    }
    try (Storage source = openSource(fromUrl, connectTimeout);
        Storage target = openTarget(toUrl, connectTimeout)) {
      return copy(source, target, force, toUrl);
    }
  }

  /** Copies {@code source} into {@code target} (both open); see the class comment. */
  public static Result copy(Storage source, Storage target, boolean force, String targetName) {
    long existing = target.count("");
    if (existing > 0 && !force) {
      throw new IllegalArgumentException("target " + targetName + " already holds " + existing
          + " keys; refusing to mix stores (use --force to overwrite keys present in both)");
    }
    long revision = source.currentRevision();
    long copied = 0;
    String start = null;
    while (true) {
      ListResult page = source.list("", start, revision, PAGE);
      for (KeyValue kv : page.items()) {
        put(target, kv);
        copied++;
      }
      if (!page.more() || page.items().isEmpty()) {
        long now = source.currentRevision();
        if (now != revision) {
          throw new SourceInUseException("the source was written during the migration (revision " + revision
              + " became " + now + "): a server is still running on it; the copy holds the state at revision "
              + revision + ". Stop that server and re-run with --force");
        }
        return new Result(copied, revision);
      }
      start = page.items().get(page.items().size() - 1).key() + "\0";
    }
  }

  private static void put(Storage target, KeyValue kv) {
    var current = target.get(kv.key(), 0);
    if (current.isEmpty()) {
      target.create(kv.key(), kv.value(), kv.ttlSeconds());
    } else {
      target.update(kv.key(), kv.value(), current.get().modRevision(), kv.ttlSeconds());
    }
  }

  private static Storage openSource(String url, Duration connectTimeout) {
    if (url.startsWith("sqlite:")) {
      SqliteStorageConfig cfg = sqlite(url);
      if (!Files.isRegularFile(cfg.dbFile())) {
        throw new IllegalArgumentException("no capstan SQLite store at " + url + " (" + cfg.dbFile() + " does not exist)");
      }
      // no TTL expiry in the source: it is never written
      return SqliteStorage.open(cfg.withTtlCheckInterval(Duration.ofDays(365)));
    }
    if (url.startsWith("etcd://")) {
      return EtcdStorage.open(etcd(url, connectTimeout));
    }
    throw badUrl("--from", url);
  }

  private static Storage openTarget(String url, Duration connectTimeout) {
    if (url.startsWith("etcd://")) {
      return EtcdStorage.open(etcd(url, connectTimeout));
    }
    if (url.startsWith("sqlite:")) {
      return SqliteStorage.open(sqlite(url));
    }
    throw badUrl("--to", url);
  }

  private static SqliteStorageConfig sqlite(String url) {
    Path dir = Path.of(url.substring("sqlite:".length()));
    return SqliteStorageConfig.defaults(dir).withCompaction(Duration.ZERO, Duration.ZERO, 0);
  }

  private static EtcdStorageConfig etcd(String url, Duration connectTimeout) {
    EtcdStorageConfig cfg = EtcdStorageConfig.parse(url).withCompactionInterval(Duration.ZERO);
    return cfg.withTimeouts(cfg.requestTimeout(), connectTimeout, Duration.ofSeconds(1));
  }

  private static IllegalArgumentException badUrl(String flag, String url) {
    return new IllegalArgumentException(flag + " must be sqlite:DIR or etcd://HOST:PORT[,HOST:PORT...][/PREFIX], not " + url);
  }
}
