#!/usr/bin/env bash
# Deployment benchmark (not a test): `capstan server` (MODE=server, the default) or `capstan
# apiserver` plus `capstan controllers` (MODE=split, to see the controllers' own CPU), on a fresh
# SQLite data dir, and `capstan simulate` with NODES nodes; io.capstan.bench.DeploymentBench times a REPLICAS-pod Deployment from create to all
# pods Ready against pre-bound pods created directly (the baseline, same run, same nodes), then
# reports each process's steady-state CPU. Copy the figures into docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
NODES=${NODES:-100}
REPLICAS=${REPLICAS:-1000}
MODE=${MODE:-server}   # server: capstan server + simulate; split: apiserver + controllers + simulate
PORT=${PORT:-16445}
DATA="$(mktemp -d /tmp/capstan-deploy-bench-XXXXXX)"
. bench/lib.sh
bench_build "$DATA"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$DATA"' EXIT

if [ "$MODE" = server ]; then
  # All in one, as users run it: API server, controllers and scheduler in one process.
  java -XX:+UseSerialGC -jar $JAR server --data-dir "$DATA/server" --listen "127.0.0.1:$PORT" --node-agent false >"$DATA/server.log" 2>&1 &
  API=$!; PIDS+=($API)
  bench_await_ready "$API" "$PORT" "$DATA/server.log"
  KUBECONFIG_FILE="$DATA/server/kubeconfig"
  PROCS=("server=$API")
else
  # Split: the API server, and the controllers (with the scheduler) as their own process.
  bench_apiserver "$DATA" "$PORT"
  PIDS+=($API)
  KUBECONFIG_FILE="$DATA/kubeconfig"
  cat >"$KUBECONFIG_FILE" <<KC
apiVersion: v1
kind: Config
clusters: [{name: bench, cluster: {server: "http://127.0.0.1:$PORT"}}]
users: [{name: admin, user: {}}]
contexts: [{name: bench, context: {cluster: bench, user: admin}}]
current-context: bench
KC
  java -XX:+UseSerialGC -jar $JAR controllers --kubeconfig "$KUBECONFIG_FILE" >"$DATA/controllers.log" 2>&1 &
  CTL=$!; PIDS+=($CTL)
  until grep -q "leading identity=" "$DATA/controllers.log"; do
    kill -0 $CTL 2>/dev/null || { cat "$DATA/controllers.log"; exit 1; }
    sleep 0.1
  done
  PROCS=("controllers=$CTL" "apiserver=$API")
fi
java -XX:+UseSerialGC -jar $JAR simulate --kubeconfig "$KUBECONFIG_FILE" --nodes "$NODES" >"$DATA/simulate.log" 2>&1 &
SIM=$!; PIDS+=($SIM)
echo "mode: $MODE ($NODES simulated nodes, $REPLICAS replicas)"
java -cp "$CP" io.capstan.bench.DeploymentBench "http://127.0.0.1:$PORT" "$NODES" "$REPLICAS" \
  "${PROCS[@]}" "simulate=$SIM"
