/**
 * The HTTP face of the API server on Vert.x: {@link io.capstan.apiserver.http.ApiRoutes} mounts
 * health, version, discovery, OpenAPI and the resource endpoints on a router; {@code
 * ResourceHandler} serves the verbs, {@code WatchHandler} streams watches over chunked HTTP and
 * WebSocket, {@link io.capstan.apiserver.http.Responses} is the one place errors become Status
 * bodies. Depends on everything below it; nothing depends on it but the server assembly.
 */
package io.capstan.apiserver.http;
