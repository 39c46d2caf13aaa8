/**
 * An in-memory implementation of the storage SPI ({@link
 * io.capstan.apiserver.storage.memory.MemoryStorage}) for fast unit tests of the layers above
 * storage. It honours the same contract as the SQLite backend (both are pinned by the same
 * contract test) but keeps nothing on disk.
 */
package io.capstan.apiserver.storage.memory;
