/**
 * The {@code capstan} binary: {@link io.capstan.cli.CapstanMain} parses the role and flags,
 * {@link io.capstan.cli.ServerRuntime} holds the roles of this process, {@link
 * io.capstan.cli.HttpMount} mounts them on Quarkus' HTTP server. Wiring only: no API logic here.
 */
package io.capstan.cli;
