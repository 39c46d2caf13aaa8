#!/usr/bin/env bash
# Benchmarks capstan server on this machine (not a test). Prints figures and ratios against
# baselines measured in the same run; copy them into docs/benchmarks.md with date and machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -q -B -DskipTests install
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true   # 1,000 watch connections
DATA="$(mktemp -d /tmp/capstan-bench-XXXXXX)"
PORT=${PORT:-16443}
LOG="$DATA/server.log"

start_ms=$(date +%s%3N)
bin/capstan server --data-dir "$DATA" --listen "127.0.0.1:$PORT" --node-agent false >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
until curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null; do
  kill -0 $PID 2>/dev/null || { cat "$LOG"; exit 1; }
  sleep 0.02
done
ready_ms=$(( $(date +%s%3N) - start_ms ))
sleep 5
JPID=$(pgrep -f "quarkus-run.jar server --data-dir $DATA" | head -1)
rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$JPID/status)
printf '%-62s %10d ms  (target <= 3000)\n' "capstan server: start to ready (/readyz 200)" "$ready_ms"
printf '%-62s %10.1f MB  (target <= 250)\n' "capstan server: idle RSS after 5 s" "$(echo "$rss_kb/1024" | bc -l)"

mvn -q -B -pl bench dependency:build-classpath -Dmdep.outputFile="$DATA/cp.txt" >/dev/null
CP="bench/target/classes:$(cat "$DATA/cp.txt")"
java -cp "$CP" io.capstan.bench.ApiBench "http://127.0.0.1:$PORT"
rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$JPID/status)
printf '%-62s %10.1f MB\n' "capstan server: RSS after the run (11k+ objects, 1k watches)" "$(echo "$rss_kb/1024" | bc -l)"
