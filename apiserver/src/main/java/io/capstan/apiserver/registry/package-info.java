/**
 * The generic registry: CRUD of any resource over the storage SPI. {@link
 * io.capstan.apiserver.registry.Registry} is the entry; verbs live in Creator, Updater, Deleter
 * and Lister; kind rules come from {@code registry.strategy}. Objects are JSON trees in wire
 * form. Depends on storage, resources, selection, errors and json; never on HTTP.
 */
package io.capstan.apiserver.registry;
