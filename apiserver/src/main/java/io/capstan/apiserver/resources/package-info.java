/**
 * What the API server serves: {@link io.capstan.apiserver.resources.ResourceType} describes one
 * resource (names, scope, subresources, storage prefix, schema class) and {@link
 * io.capstan.apiserver.resources.ResourceCatalog} looks them up. Pure data; depends on nothing
 * but the Fabric8 model classes.
 */
package io.capstan.apiserver.resources;
