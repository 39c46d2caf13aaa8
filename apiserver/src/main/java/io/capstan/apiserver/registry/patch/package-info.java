/**
 * Patch documents applied to JSON objects: JSON merge patch (RFC 7386) today; JSON patch,
 * strategic merge patch and server-side apply follow (issue 3). Pure functions over JSON trees.
 */
package io.capstan.apiserver.registry.patch;
