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
# Build this tree in one reactor (nothing installed into ~/.m2) and get the bench classpath.
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
java -cp "$CP" io.capstan.bench.SchedulerBench "http://127.0.0.1:$PORT" "$PODS"
