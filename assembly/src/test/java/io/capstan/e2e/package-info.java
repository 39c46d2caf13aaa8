/**
 * End-to-end tests: the built {@code capstan} binary driven by the real clients (kubectl, the
 * Python client). Run by failsafe after packaging ({@code *E2E}).
 */
package io.capstan.e2e;
