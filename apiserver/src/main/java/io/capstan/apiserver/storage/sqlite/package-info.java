/**
 * The embedded SQLite backend of the storage SPI ({@link
 * io.capstan.apiserver.storage.sqlite.SqliteStorage}, settings in {@link
 * io.capstan.apiserver.storage.sqlite.SqliteStorageConfig}). Design: docs storage-semantics §5.
 *
 * <ul>
 *   <li><b>Tables</b> ({@code Schema}): an append-only {@code log} with one row per revision
 *       (create/update/delete, with the previous value for watch prevKv), a {@code current} table
 *       with one row per live key, and {@code meta} (current and compacted revision). WAL
 *       journal, {@code synchronous=FULL} by default, {@code auto_vacuum=INCREMENTAL}.
 *   <li><b>Writes</b> ({@code Writer}): one thread owns the only writing connection; callers queue
 *       a request and wait. Up to {@code maxBatch} requests share one transaction (group commit),
 *       each with its own CAS check and its own dense revision. After COMMIT the revision
 *       advances, events go to the watch hub in revision order, then callers are answered.
 *   <li><b>Reads</b> ({@code ReadPool}, {@code Reads}): a pool of read-only connections; each read
 *       is one read transaction that also reads the revision header, so data and header agree.
 *   <li><b>Watches</b> ({@code WatchHub}, {@code HubWatch}): no polling. A watch registers
 *       (buffering live events), replays {@code log} after its start revision, then continues
 *       with the buffered events newer than the replay, without duplicate or gap. Bounded queue
 *       per watch, listeners called from a small shared pool; a watch whose listener falls behind
 *       is closed with {@link io.capstan.apiserver.storage.WatchClosedException}, and a listener
 *       call that blocks gets its thread replaced, so it never stops the other watches.
 *   <li><b>Compaction</b> ({@code Compactor}, {@code RevisionTimes}): periodic, keeping both a
 *       minimum age and a minimum number of revisions; deletes obsolete log rows in small writer
 *       transactions, then incremental vacuum and WAL checkpoint.
 *   <li><b>TTL</b> ({@code TtlExpirer}): expired keys are deleted through the writer, so watchers
 *       see DELETE events.
 * </ul>
 *
 * <p>Threads are named {@code capstan-storage-sqliteN-*} and are daemons; {@code close()} stops
 * them all.
 */
package io.capstan.apiserver.storage.sqlite;
