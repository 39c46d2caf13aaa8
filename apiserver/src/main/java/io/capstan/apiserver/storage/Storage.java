package io.capstan.apiserver.storage;

import java.util.Optional;

/**
 * The etcd-shaped key-value store under the API server. It knows keys and bytes, never kinds.
 *
 * <h2>Vocabulary</h2>
 *
 * <ul>
 *   <li><b>revision</b>: a global int64 counter, incremented once per successful write. The API's
 *       {@code resourceVersion} is a key's {@code modRevision} written in decimal.
 *   <li><b>compare-and-swap</b>: {@link #update} and {@link #delete} succeed only when the key's
 *       modRevision is the expected one; on failure they throw {@link ConflictException} carrying
 *       the current version.
 *   <li><b>compaction</b>: history below the compacted revision is forgotten; reads and watches
 *       below it throw {@link CompactedException}. The latest version of a live key is never lost.
 * </ul>
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>Writes are linearizable and durable when the call returns.
 *   <li>A watch started at revision R (after a list read at R) delivers every later change exactly
 *       once, in revision order, without gaps.
 *   <li>An update whose bytes equal the stored bytes writes nothing, keeps the revision and emits
 *       no event; it returns the stored version.
 * </ul>
 *
 * <p>All methods are thread-safe. A revision argument of 0 means "the latest".
 */
public interface Storage extends AutoCloseable {

  /** The revision of the last acknowledged write (linearizable). */
  long currentRevision();

  /** The compacted revision: reads below it fail. 0 when nothing was compacted. */
  long compactedRevision();

  /**
   * The live version of {@code key} at {@code atRevision} (0: latest).
   *
   * @throws CompactedException when {@code atRevision} is below the compacted revision
   * @throws FutureRevisionException when {@code atRevision} is above the current revision
   */
  Optional<KeyValue> get(String key, long atRevision);

  /**
   * Live keys in {@code [max(prefix, startKey), end of prefix)} in key order, as of one revision.
   *
   * @param prefix the range prefix, normally ending in {@code /}
   * @param startKey first key to include, or null/empty to start at the prefix
   * @param atRevision the revision to read at, 0 for the latest
   * @param limit the most items to return, 0 for all
   */
  ListResult list(String prefix, String startKey, long atRevision, int limit);

  /** Number of live keys under {@code prefix}. */
  long count(String prefix);

  /**
   * Creates {@code key}. TTL keys are deleted (with a DELETE event) once they expire.
   *
   * @return the version written
   * @throws KeyExistsException when the key has a live value
   */
  KeyValue create(String key, byte[] value, long ttlSeconds);

  /**
   * Replaces the value of {@code key} if its modRevision is {@code expectedModRevision}.
   *
   * @return the version written, or the stored one unchanged when the bytes are identical
   * @throws ConflictException when the modRevision differs
   * @throws KeyNotFoundException when the key has no live value
   */
  KeyValue update(String key, byte[] value, long expectedModRevision, long ttlSeconds);

  /**
   * Deletes {@code key} if its modRevision is {@code expectedModRevision} (0: unconditionally).
   *
   * @return the deleted version, with its value, and modRevision set to the delete's revision
   * @throws ConflictException when the modRevision differs
   * @throws KeyNotFoundException when the key has no live value
   */
  KeyValue delete(String key, long expectedModRevision);

  /**
   * Watches keys starting with {@code prefix} for changes with revision {@code > afterRevision}.
   * History from the log is replayed first, then live changes follow without gap or duplicate.
   *
   * @throws CompactedException when {@code afterRevision + 1} is below the compacted revision
   * @throws FutureRevisionException when {@code afterRevision} is above the current revision
   */
  Watch watch(String prefix, long afterRevision, WatchListener listener);

  /**
   * Forgets history below {@code revision}; {@code revision} itself stays readable.
   *
   * @throws FutureRevisionException when {@code revision} is above the current revision
   */
  void compact(long revision);

  /** Stops the store: pending writes finish, watches get {@link WatchListener#onClose}. */
  @Override
  void close();
}
