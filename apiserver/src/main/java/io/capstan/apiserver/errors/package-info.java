/**
 * The API's failures: {@link io.capstan.apiserver.errors.ApiException} (a Kubernetes Status),
 * {@link io.capstan.apiserver.errors.StatusErrors} (one constructor per reason) and {@link
 * io.capstan.apiserver.errors.FieldError} (validation causes). Depends on nothing else in capstan.
 */
package io.capstan.apiserver.errors;
