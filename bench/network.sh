#!/usr/bin/env bash
# Pod network benchmark (not a test; root only): starts `capstan server` with its node agent on a
# fresh data dir and its own cgroup root, imports busybox as busybox:bench, then
# io.capstan.bench.NetworkBench times pod start with hostNetwork against the CNI bridge (PODS of
# each), Service create -> ClusterIP programmed in `nft list table ip capstan` and reachable
# (CHANGES services), and HTTP requests per second to a busybox httpd pod direct and through its
# ClusterIP. Pods and services are deleted at the end; the server is stopped and `capstan agent
# cleanup` removes the network objects capstan made. Everything runs in a network namespace of
# its own (a veth pair inside it gives the node an address), so the bench neither sees nor touches
# the host's interfaces, its `ip capstan` table, or another capstan node running on the machine;
# the namespace is deleted at the end. Copy the figures into docs/benchmarks.md with date,
# machine and load. KEEP_LOG=FILE keeps the server's log. POD_NETWORK=cni runs the pods on the
# standard CNI plugins instead of the native capstan-bridge (the server's --pod-network).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ "$(id -u)" = 0 ] || { echo "network.sh runs containers and programs nftables: run it as root" >&2; exit 1; }
PODS=${PODS:-30}
CHANGES=${CHANGES:-30}
PORT=${PORT:-16447}
DATA="$(mktemp -d /tmp/capstan-net-bench-XXXXXX)"
CGROOT="capstan-netbench-$$"
. bench/lib.sh
bench_build "$DATA"
NS="capstan-netbench-$$"
IN=(nsenter "--net=/run/netns/$NS")
SERVER=
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  # processes of pods this run left: every one runs this run's shim binary (the sandbox holders
  # too, which are in no cgroup of the run) or is in its cgroups (bench_release_node)
  pkill -9 -f "^$DATA/server/bin/capstan-shim " 2>/dev/null || true
  "${IN[@]}" java -jar "$JAR" agent cleanup --data-dir "$DATA/server" || true
  ip netns del "$NS" 2>/dev/null || true
  bench_release_node "$DATA" "$CGROOT"
  if [ -n "${KEEP_LOG:-}" ]; then cp "$DATA/server.log" "$KEEP_LOG"; fi
  rm -rf "$DATA"
}
trap cleanup EXIT

bench_busybox_tar "$DATA"

ip netns add "$NS"
"${IN[@]}" ip link set lo up
"${IN[@]}" ip link add capstan-nb0 type veth peer name capstan-nb1
"${IN[@]}" ip addr add 192.0.2.10/24 dev capstan-nb0
"${IN[@]}" ip link set capstan-nb0 up
"${IN[@]}" ip link set capstan-nb1 up
"${IN[@]}" ip route add default dev capstan-nb0
"${IN[@]}" java -XX:+UseSerialGC -jar "$JAR" server --data-dir "$DATA/server" --listen "127.0.0.1:$PORT" \
  --cgroup-root "$CGROOT" --pod-network "${POD_NETWORK:-capstan-bridge}" >"$DATA/server.log" 2>&1 &
SERVER=$!
until "${IN[@]}" curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null; do
  kill -0 "$SERVER" 2>/dev/null || { cat "$DATA/server.log"; exit 1; }
  sleep 0.05
done
java -jar "$JAR" image import --data-dir "$DATA/server" "$DATA/busybox.tar" busybox:bench
echo "machine: $(nproc) cpus, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(uname -r); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "pod network: ${POD_NETWORK:-capstan-bridge}"
"${IN[@]}" java -cp "$CP" io.capstan.bench.NetworkBench "http://127.0.0.1:$PORT" "$DATA/server" "$PODS" "$CHANGES"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
