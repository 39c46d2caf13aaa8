/**
 * Request body decoding: JSON and YAML, and field validation (Strict, Warn, Ignore) against the
 * kinds' model classes ({@link io.capstan.apiserver.decode.KnownFields}). Entry: {@link
 * io.capstan.apiserver.decode.BodyDecoder}. Depends on json and errors; never on HTTP or storage.
 */
package io.capstan.apiserver.decode;
