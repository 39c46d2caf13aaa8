/**
 * {@code capstan storage migrate}: copies every object of one storage backend (normally SQLite)
 * into another (normally etcd) under the same keys, leaving the source untouched.
 */
package io.capstan.apiserver.storage.migrate;
