/**
 * A container's environment as kubelet resolves it: values, ConfigMap and Secret references,
 * the downward API, envFrom, and {@code $(VAR)} expansion (also of command and args).
 */
package io.capstan.node.agent.env;
