/**
 * Benchmarks of a running capstan server (not tests): {@link io.capstan.bench.ApiBench} prints
 * figures with a baseline measured in the same run. Run through {@code bench/run.sh}; results go
 * to docs/benchmarks.md.
 */
package io.capstan.bench;
