#!/usr/bin/env bash
# Node agent benchmark (not a test; root only): starts `capstan server` with its node agent on a
# fresh data dir and its own cgroup root, imports busybox (a rootfs tarball of Debian's
# busybox-static) as busybox:bench, then io.capstan.bench.NodeBench times PODS pods one after
# another and PODS at once from create to Running (watch), the shim's container launch against
# /bin/true without namespaces, and the shim processes' RSS/PSS per pod. Every pod is deleted at
# the end; whatever is left (pod networks, mounts, cgroups) is removed here. Copy the figures into
# docs/benchmarks.md with date, machine and load. KEEP_LOG=FILE keeps the server's log. WARMUP=N
# pods (default 10, at most 110) warm the server up before the measured steps.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ "$(id -u)" = 0 ] || { echo "node.sh runs containers: run it as root" >&2; exit 1; }
PODS=${PODS:-100}
WARMUP=${WARMUP:-10}
PORT=${PORT:-16446}
DATA="$(mktemp -d /tmp/capstan-node-bench-XXXXXX)"
CGROOT="capstan-bench-$$"
. bench/lib.sh
bench_build "$DATA"
SERVER=
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  # processes of pods this run left: every one runs this run's shim binary (the sandbox holders
  # too, which are in no cgroup of the run) or is in its cgroups (bench_release_node)
  pkill -9 -f "^$DATA/server/bin/capstan-shim " 2>/dev/null || true
  # pods deleted just before the stop may still have their networks: remove them and the bridge
  java -jar "$JAR" agent cleanup --data-dir "$DATA/server" || true
  bench_release_node "$DATA" "$CGROOT"
  if [ -n "${KEEP_LOG:-}" ]; then cp "$DATA/server.log" "$KEEP_LOG"; fi
  rm -rf "$DATA"
}
trap cleanup EXIT

bench_busybox_tar "$DATA"
R="$DATA/rootfs"

java -XX:+UseSerialGC -jar "$JAR" server --data-dir "$DATA/server" --listen "127.0.0.1:$PORT" \
  --cgroup-root "$CGROOT" >"$DATA/server.log" 2>&1 &
SERVER=$!
bench_await_ready "$SERVER" "$PORT" "$DATA/server.log"
java -jar "$JAR" image import --data-dir "$DATA/server" "$DATA/busybox.tar" busybox:bench
echo "warm-up: $WARMUP pods"
echo "machine: $(nproc) cpus, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(uname -r); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$CP" io.capstan.bench.NodeBench "http://127.0.0.1:$PORT" "$DATA/server" "$R" "$PODS" "$WARMUP"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
