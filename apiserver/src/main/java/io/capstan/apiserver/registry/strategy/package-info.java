/**
 * Kind-specific rules: one {@link io.capstan.apiserver.registry.strategy.Strategy} per kind
 * (defaults, what a write may change, validation), picked by {@link
 * io.capstan.apiserver.registry.strategy.Strategies}. Stateless; works on JSON trees; must not
 * depend on storage or HTTP.
 *
 * <p>Pod specs are shared by Pods and workload templates: {@code PodSpecDefaults} and
 * {@code PodSpecValidation}, with containers in {@code ContainerDefaults}/{@code
 * ContainerValidation} (env, probes, resources and volumes in their own classes). Field errors
 * carry the paths and wording of Kubernetes v1.32's validation.
 */
package io.capstan.apiserver.registry.strategy;
