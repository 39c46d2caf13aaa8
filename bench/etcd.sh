#!/usr/bin/env bash
# etcd benchmark (not a test): starts Debian's etcd on loopback with a fresh data dir and
# `capstan apiserver --storage etcd://` on it, then io.capstan.bench.EtcdBench measures ConfigMap
# creates per second through the API at 1, 8 and 32 concurrent clients against raw etcd puts of
# the same size and raw etcd create transactions of the API's shape at the same concurrency (same
# run), and watch delivery latency with 1 and 1,000 watchers. Copy the figures into
# docs/benchmarks.md with date, machine and load.
# SECONDS_PER_ROUND=N sets each throughput round's length (default 10); WARMUP_SECONDS=N the API
# server's warm-up at each concurrency before the rounds (default 20; its JIT needs about a minute);
# ETCD_OPTS extra etcd flags (e.g. --backend-batch-interval=10ms, see docs/storage-etcd.md).
# FLOOR=worker|async measures io.capstan.bench.EtcdProxy in place of the API server: an HTTP server
# on the same stack that only stores each POST body with the create transaction, the floor under
# any API server here (its "API creates" lines are the proxy's; the watch lines do not apply).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true   # 1,000 watch connections
PORT=${PORT:-16447}
ETCD_PORT=${ETCD_PORT:-16479}
DATA="$(mktemp -d /tmp/capstan-etcd-bench-XXXXXX)"
. bench/lib.sh
bench_build "$DATA"
API=
ETCD=
cleanup() {
  for p in $API $ETCD; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$DATA"
}
trap cleanup EXIT

etcd --name bench --data-dir "$DATA/etcd" --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
  --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
  --initial-cluster "bench=http://127.0.0.1:$((ETCD_PORT + 1))" ${ETCD_OPTS:-} >"$DATA/etcd.log" 2>&1 &
ETCD=$!
until curl -sf "http://127.0.0.1:$ETCD_PORT/health" >/dev/null; do
  kill -0 "$ETCD" 2>/dev/null || { cat "$DATA/etcd.log"; exit 1; }
  sleep 0.05
done
if [ -n "${FLOOR:-}" ]; then
  java -cp "$CP" io.capstan.bench.EtcdProxy "$PORT" "127.0.0.1:$ETCD_PORT" "$FLOOR" >"$DATA/api.log" 2>&1 &
  API=$!
  until grep -q listening "$DATA/api.log"; do
    kill -0 "$API" 2>/dev/null || { cat "$DATA/api.log"; exit 1; }
    sleep 0.05
  done
  echo "server: EtcdProxy ($FLOOR), not capstan"
  export ETCD_BENCH_WATCH=0
else
  java -jar "$JAR" apiserver --storage "etcd://127.0.0.1:$ETCD_PORT" --listen "127.0.0.1:$PORT" >"$DATA/api.log" 2>&1 &
  API=$!
  bench_await_ready "$API" "$PORT" "$DATA/api.log"
fi
echo "machine: $(nproc) cpus, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(uname -r); etcd $(etcd --version | head -1 | awk '{print $3}'); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$CP" io.capstan.bench.EtcdBench "http://127.0.0.1:$PORT" "127.0.0.1:$ETCD_PORT" "${SECONDS_PER_ROUND:-10}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
