#!/usr/bin/env bash
# Watch lag benchmark (not a test): starts `capstan apiserver` on a fresh SQLite data dir, then
# io.capstan.bench.WatchLagBench creates PODS pending pods, opens three watches on them (JDK
# chunked HTTP and JDK WebSocket as baselines, and Fabric8), binds every pod with 32 in flight
# and prints how late each watcher saw the bindings. Copy the figures into docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PODS=${PODS:-3000}
PORT=${PORT:-16446}
DATA="$(mktemp -d /tmp/capstan-watch-lag-XXXXXX)"
. bench/lib.sh
bench_build "$DATA"
API=
trap 'kill $API 2>/dev/null || true; wait $API 2>/dev/null || true; rm -rf "$DATA"' EXIT
bench_apiserver "$DATA" "$PORT"
java -cp "$CP" io.capstan.bench.WatchLagBench "http://127.0.0.1:$PORT" "$PODS"
