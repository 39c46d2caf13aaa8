/**
 * Integration tests: an in-process API server on SQLite and a free loopback port, driven over raw
 * HTTP and by the Fabric8 client (CRUD, bad input, watches, patches, server-side apply, custom
 * resources).
 */
package io.capstan.apiserver.it;
