/** Test helpers: an in-process API server on a free loopback port and a raw HTTP client. */
package io.capstan.apiserver.testing;
