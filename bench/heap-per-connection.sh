#!/usr/bin/env bash
# Counts what one idle subscribed connection holds on the gateway's heap: starts one gateway (flags from
# deploy/jvm.options, pinned like run-comparison.sh), takes `jcmd GC.class_histogram` (a full GC first, so live
# objects only), opens N subscribed connections with the bench `connections` scenario, takes the histogram again
# while they are held, and prints the classes that grew, per connection (instances and bytes), largest first.
#
#   bench/heap-per-connection.sh [connections (2000)] [top classes (40)]
# Environment: PORT (18090)  JVM_OPTIONS (deploy/jvm.options)  PUSHGATE_JAVA_OPTS ("")  LOG_DIR (bench/target/heap-<time>)
# Needs the jars (./mvnw -q -B -DskipTests package) and jcmd. Direct (off-heap) buffers are not in a heap histogram:
# the bench's RESULT line reports RSS per connection next to it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
N="${1:-2000}"
TOP="${2:-40}"
PORT="${PORT:-18090}"
JVM_OPTIONS="${JVM_OPTIONS-$ROOT/deploy/jvm.options}"
LOG_DIR="${LOG_DIR:-$ROOT/bench/target/heap-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$LOG_DIR"
PIN_S=(); PIN_B=()
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null 2>&1; then PIN_S=(taskset -c 0); PIN_B=(taskset -c 1); fi

GATEWAY_LAYER=memory GATEWAY_API_KEY=heap-per-connection GATEWAY_LIMITS_MAX_CONNECTIONS_PER_IP=0 GATEWAY_DEMOS_ENABLED=false \
  "${PIN_S[@]}" java ${JVM_OPTIONS:+@"$JVM_OPTIONS"} ${PUSHGATE_JAVA_OPTS:-} -jar gateway/target/gateway.jar --port "$PORT" \
  >"$LOG_DIR/gateway.log" 2>&1 &
GW=$!
BENCH=""
trap 'kill $GW 2>/dev/null || true; [ -n "$BENCH" ] && kill $BENCH 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; kill -0 "$GW" 2>/dev/null || { echo "heap-per-connection: gateway exited; see $LOG_DIR/gateway.log" >&2; exit 1; }; sleep 0.1; done

jcmd "$GW" GC.class_histogram >"$LOG_DIR/before.txt"
"${PIN_B[@]}" java -jar bench/target/bench.jar connections --url "ws://127.0.0.1:$PORT/ws" --pid "$GW" \
  --connections "$N" --subscribe --hold 600 --no-jcmd >"$LOG_DIR/bench.log" 2>&1 &
BENCH=$!
for _ in $(seq 1 1200); do grep -q 'holding:' "$LOG_DIR/bench.log" 2>/dev/null && break; sleep 0.1; done
grep -q 'holding:' "$LOG_DIR/bench.log" || { echo "heap-per-connection: bench never held; see $LOG_DIR" >&2; exit 1; }
grep -m1 'opened\|connected\|handshake' "$LOG_DIR/bench.log" >&2 || true
jcmd "$GW" GC.class_histogram >"$LOG_DIR/after.txt"
grep -m1 'rss' "$LOG_DIR/bench.log" >&2 || true
kill "$BENCH" 2>/dev/null || true

# histogram rows: "   1:   12345   678901  java.lang.Object (java.base@17)"
awk -v n="$N" -v top="$TOP" '
  FNR == 1 { file++ }
  $1 ~ /^[0-9]+:$/ { c = $4; cnt[file, c] = $2; byt[file, c] = $3; seen[c] = 1 }
  END {
    for (c in seen) {
      dc = cnt[2, c] - cnt[1, c]; db = byt[2, c] - byt[1, c]
      if (db > 0) { tb += db; tc += dc; printf "%10.2f %10.1f  %s\n", dc / n, db / n, c | "sort -k2 -n -r | head -" top }
    }
    close("sort -k2 -n -r | head -" top)
    printf "%10.2f %10.1f  TOTAL (classes that grew), per connection: objects, bytes\n", tc / n, tb / n
  }' "$LOG_DIR/before.txt" "$LOG_DIR/after.txt" | tee "$LOG_DIR/per-connection.txt"
