#!/usr/bin/env bash
# Deployment benchmark (not a test): `capstan apiserver` on a fresh SQLite data dir, `capstan
# controllers` (controllers + scheduler) and `capstan simulate` with NODES nodes as separate
# processes; io.capstan.bench.DeploymentBench times a REPLICAS-pod Deployment from create to all
# pods Ready against pre-bound pods created directly (the baseline, same run, same nodes), then
# reports each process's steady-state CPU. Copy the figures into docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
NODES=${NODES:-100}
REPLICAS=${REPLICAS:-1000}
PORT=${PORT:-16445}
DATA="$(mktemp -d /tmp/capstan-deploy-bench-XXXXXX)"
mvn -o -q -B -pl bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile="$DATA/cp.txt" >/dev/null
mvn -o -q -B -pl assembly -am package -DskipTests >/dev/null
CP="bench/target/classes:controllers/target/classes:$(cat "$DATA/cp.txt")"
JAR=assembly/target/quarkus-app/quarkus-run.jar
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$DATA"' EXIT

java -XX:+UseSerialGC -jar $JAR apiserver --storage "sqlite:$DATA/db" --listen "127.0.0.1:$PORT" >"$DATA/api.log" 2>&1 &
API=$!; PIDS+=($API)
until curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null; do
  kill -0 $API 2>/dev/null || { cat "$DATA/api.log"; exit 1; }
  sleep 0.05
done
cat >"$DATA/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters: [{name: bench, cluster: {server: "http://127.0.0.1:$PORT"}}]
users: [{name: admin, user: {}}]
contexts: [{name: bench, context: {cluster: bench, user: admin}}]
current-context: bench
KC
java -XX:+UseSerialGC -jar $JAR controllers --kubeconfig "$DATA/kubeconfig" >"$DATA/controllers.log" 2>&1 &
CTL=$!; PIDS+=($CTL)
java -XX:+UseSerialGC -jar $JAR simulate --kubeconfig "$DATA/kubeconfig" --nodes "$NODES" >"$DATA/simulate.log" 2>&1 &
SIM=$!; PIDS+=($SIM)
until grep -q "leading identity=" "$DATA/controllers.log"; do
  kill -0 $CTL 2>/dev/null || { cat "$DATA/controllers.log"; exit 1; }
  sleep 0.1
done
java -cp "$CP" io.capstan.bench.DeploymentBench "http://127.0.0.1:$PORT" "$NODES" "$REPLICAS" \
  "controllers=$CTL" "simulate=$SIM" "apiserver=$API"
