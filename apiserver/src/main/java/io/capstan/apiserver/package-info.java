/**
 * capstan's Kubernetes API server. {@link io.capstan.apiserver.ApiServer} assembles it: storage
 * ({@code storage}) under a generic registry ({@code registry}) behind Vert.x routes ({@code
 * http}), with discovery, OpenAPI and Table printing beside them. Configuration root: {@link
 * io.capstan.apiserver.ApiServerConfig}. See docs/flows/apply.md for a request's path.
 */
package io.capstan.apiserver;
