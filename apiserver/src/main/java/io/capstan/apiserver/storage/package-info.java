/**
 * The storage SPI: an etcd-shaped key-value store with a global revision, compare-and-swap
 * writes, reads at a revision, watches from a revision and compaction. Entry point: {@link
 * io.capstan.apiserver.storage.Storage}. This package knows keys and bytes only: it must not
 * depend on the registry, on HTTP or on any Kubernetes kind. Backends live in sub-packages
 * ({@code sqlite}, {@code etcd}, {@code memory}); {@link io.capstan.apiserver.storage.StorageFactory} picks one
 * from a URL.
 */
package io.capstan.apiserver.storage;
