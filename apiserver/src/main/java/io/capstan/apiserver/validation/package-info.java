/**
 * Rules shared by every validating layer: the name formats of Kubernetes (DNS-1123 subdomain and
 * label, DNS-1035 label). Depends on {@code errors} only.
 */
package io.capstan.apiserver.validation;
