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
mvn -o -q -B -pl bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile="$DATA/cp.txt" >/dev/null
mvn -o -q -B -pl assembly -am package -DskipTests >/dev/null
CP="bench/target/classes:controllers/target/classes:$(cat "$DATA/cp.txt")"
java -XX:+UseSerialGC -jar assembly/target/quarkus-app/quarkus-run.jar apiserver \
  --storage "sqlite:$DATA/db" --listen "127.0.0.1:$PORT" >"$DATA/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
until curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null; do
  kill -0 $PID 2>/dev/null || { cat "$DATA/server.log"; exit 1; }
  sleep 0.05
done
java -cp "$CP" io.capstan.bench.WatchLagBench "http://127.0.0.1:$PORT" "$PODS"
