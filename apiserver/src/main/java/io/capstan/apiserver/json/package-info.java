/**
 * The shared Jackson configuration ({@link io.capstan.apiserver.json.Json}) and helpers on JSON
 * trees. Objects travel through the API server as Jackson {@code ObjectNode}s in their wire form.
 */
package io.capstan.apiserver.json;
