/**
 * The storage SPI on etcd (3.4 and later) over gRPC, with jetcd's generated etcd API and plain
 * grpc-java (jetcd-core is not used: it needs Vert.x 5, capstan runs Vert.x 4 under Quarkus).
 * Keys are laid out as kube-apiserver lays them out ({@code /registry/<resource>/<ns>/<name>}),
 * optionally under a prefix; revisions are etcd's mod revisions; writes are single etcd
 * transactions compared on mod_revision; one shared etcd watch feeds every storage watch ({@link
 * io.capstan.apiserver.storage.etcd.WatchCache}). Entry point: {@link
 * io.capstan.apiserver.storage.etcd.EtcdStorage#open}. User documentation: docs/storage-etcd.md.
 */
package io.capstan.apiserver.storage.etcd;
