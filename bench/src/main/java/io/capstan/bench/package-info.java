/**
 * Benchmarks (not tests): {@link io.capstan.bench.ApiBench} measures a running capstan server,
 * {@link io.capstan.bench.SchedulerBench} the scheduler's throughput against a bare API server;
 * each prints its figures beside a baseline measured in the same run. Run through {@code
 * bench/run.sh} and {@code bench/scheduler.sh}; results go to docs/benchmarks.md.
 */
package io.capstan.bench;
