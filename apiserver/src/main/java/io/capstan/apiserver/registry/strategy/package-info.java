/**
 * Kind-specific rules: one {@link io.capstan.apiserver.registry.strategy.Strategy} per kind
 * (defaults, what a write may change, validation), picked by {@link
 * io.capstan.apiserver.registry.strategy.Strategies}. Stateless; works on JSON trees; must not
 * depend on storage or HTTP.
 */
package io.capstan.apiserver.registry.strategy;
