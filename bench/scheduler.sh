#!/usr/bin/env bash
# Scheduler throughput benchmark (not a test): starts `capstan apiserver` (no controllers, no
# scheduler) on a fresh SQLite data dir, then io.capstan.bench.SchedulerBench creates 100 nodes
# and PODS pending pods, starts the scheduler in its own process and times until all are bound,
# against the raw rate of the same number of pods/binding POSTs. Copy the figures into
# docs/benchmarks.md with date and machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PODS=${PODS:-3000}
PORT=${PORT:-16444}
DATA="$(mktemp -d /tmp/capstan-sched-bench-XXXXXX)"
. bench/lib.sh
bench_build "$DATA"
API=
trap 'kill $API 2>/dev/null || true; wait $API 2>/dev/null || true; rm -rf "$DATA"' EXIT
bench_apiserver "$DATA" "$PORT"
java -cp "$CP" io.capstan.bench.SchedulerBench "http://127.0.0.1:$PORT" "$PODS"
