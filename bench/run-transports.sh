#!/usr/bin/env bash
# Runs the same fanout (same subscribers, topic, payload and publisher) against one pushgate deployment with the
# subscribers on WebSocket, SSE and long-polling, back to back (a "round"), REPEATS times, and prints one RESULT
# line per run and a table of medians with each transport's ratio to WebSocket in the same round.
#
#   bench/run-transports.sh [bench fanout options...]
#   bench/run-transports.sh --subscribers 1000 --rate 50
#   LAYER=redis GW_PORTS="18280 18281" bench/run-transports.sh --subscribers 1000 --rate 20
#
# Defaults (options given override them): --subscribers 1000 --rate 20 --duration 15 --warmup 5 --payload 64
# --publish http (one HTTP publisher, so the publish path is the same whatever the subscribers use). Do not pass
# --url, --pid, --topic, --transport or --api-key: the script sets them (topic bench.t, in a namespace the gateways
# open for publishing, without presence, with history-size 1000 so that a poll resumes from history: every transport
# runs with the same gateway settings).
# Environment:
#   GW_PORTS ("18280"; two ports with LAYER=redis: the subscribers are spread over the nodes round robin and the
#   publisher posts to the first)  LAYER (memory; redis starts its own redis-server on REDIS_PORT (6490))
#   TRANSPORTS ("ws sse poll")  REPEATS (3)  API_KEY (generated)
#   RATES ("": the --rate given; "20 50": every round runs every transport at each of these rates, one table each)
#   JVM_OPTIONS (deploy/jvm.options: the gateway runs `java @$JVM_OPTIONS $PUSHGATE_JAVA_OPTS`)  BENCH_JAVA_OPTS ("")
#   PIN (1 when the machine has 2+ cores: gateways and Redis under `taskset -c $SERVER_CPUS` (0), the load generator
#   under `taskset -c $BENCH_CPUS` (1); 0 to not pin)  LOG_DIR (bench/target/transports-<time>)
#   LOCK (a file: every round takes `flock` on it, so rounds do not overlap other benchmarks on a shared machine)
# The load average before and after every run is written to LOG_DIR/load.txt; RESULT lines (with "round" and
# "subscribe_via") to LOG_DIR/results.jsonl; logs of every process to LOG_DIR. Everything it starts is stopped when
# it exits.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

for a in "$@"; do
  case "$a" in
    --url|--url=*|--pid|--pid=*|--target|--target=*|--topic|--topic=*|--transport|--transport=*|--api-key|--api-key=*)
      echo "run-transports: $a is set by the script; leave it out" >&2; exit 2 ;;
  esac
done

read -r -a GW_PORT_LIST <<< "${GW_PORTS:-18280}"
REDIS_PORT="${REDIS_PORT:-6490}"
LAYER="${LAYER:-memory}"
read -r -a TRANSPORT_LIST <<< "${TRANSPORTS:-ws sse poll}"
read -r -a RATE_LIST <<< "${RATES:-}"
[ "${#RATE_LIST[@]}" -eq 0 ] && RATE_LIST=("")
REPEATS="${REPEATS:-3}"
API_KEY="${API_KEY:-bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')}"
if [ "$LAYER" = memory ] && [ "${#GW_PORT_LIST[@]}" -gt 1 ]; then
  echo "run-transports: LAYER=memory takes one port in GW_PORTS (nodes share nothing)" >&2; exit 2
fi
LOG_DIR="${LOG_DIR:-$ROOT/bench/target/transports-$(date +%Y%m%d-%H%M%S)}"
TOPIC="bench.t"
mkdir -p "$LOG_DIR"
: >"$LOG_DIR/results.jsonl"

SCRIPT=run-transports
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

note_load() {
  echo "$1 $(date +%H:%M:%S) loadavg=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$LOG_DIR/load.txt"
}

ensure_jars

# ---- redis (redis layer only) -------------------------------------------------------------------------------------
REDIS_URI="redis://127.0.0.1:$REDIS_PORT"
if [ "$LAYER" = redis ]; then
  command -v redis-server >/dev/null 2>&1 || { echo "run-transports: redis-server missing" >&2; exit 1; }
  if port_open "$REDIS_PORT"; then
    echo "run-transports: something already listens on $REDIS_PORT (REDIS_PORT)" >&2; exit 1
  fi
  start_redis "$REDIS_PORT"
fi

# ---- gateways (one deployment for every run) ----------------------------------------------------------------------
TARGET_ARGS=()
GW_PIDS=()
for port in "${GW_PORT_LIST[@]}"; do
  if port_open "$port"; then
    echo "run-transports: something already listens on $port (GW_PORTS)" >&2; exit 1
  fi
  # also no cap of 100 SSE streams or polls per client IP; history so that a poll resumes where the previous one stopped
  start_gateway "$port" GATEWAY_SSE_MAX_STREAMS_PER_IP=0 GATEWAY_POLL_MAX_POLLS_PER_IP=0 \
    GATEWAY_NAMESPACES_BENCH_HISTORY_SIZE=1000 GATEWAY_NAMESPACES_BENCH_HISTORY_TTL=10m
  pid=$NODE_PID
  GW_PIDS+=("$pid")
  TARGET_ARGS+=(--url "ws://127.0.0.1:$port/ws" --pid "$pid")
done
for i in "${!GW_PORT_LIST[@]}"; do
  wait_port "${GW_PORT_LIST[$i]}" "${GW_PIDS[$i]}" "gateway :${GW_PORT_LIST[$i]}"
done

DEFAULTS=(--subscribers 1000 --rate 20 --duration 15 --warmup 5 --payload 64 --publish http)
USER_ARGS=("$@")

run_one() {
  local round="$1" transport="$2" rate="$3" name rc=0
  local rate_args=()
  name="r$round-$transport${rate:+-$rate}"
  [ -n "$rate" ] && rate_args=(--rate "$rate")
  local out="$LOG_DIR/bench-$name.log"
  note_load "$name-before"
  # shellcheck disable=SC2086
  "${ON_BENCH[@]}" java ${BENCH_JAVA_OPTS:-} -jar bench/target/bench.jar fanout --topic "$TOPIC" "${TARGET_ARGS[@]}" \
    --api-key "$API_KEY" "${DEFAULTS[@]}" "${USER_ARGS[@]}" "${rate_args[@]}" --transport "$transport" >"$out" 2>&1 || rc=$?
  note_load "$name-after"
  grep -v '^RESULT ' "$out" | grep -E '^(deliveries|delivered|latency|server|bench:)' | sed "s/^/  [$name] /" >&2 || true
  local result
  result="$(grep '^RESULT ' "$out" | tail -1 | cut -c8- || true)"
  if [ -n "$result" ]; then
    echo "$result" | jq -c --argjson round "$round" '. + {round: $round}' >>"$LOG_DIR/results.jsonl"
  else
    echo "run-transports: round $round $transport gave no RESULT (exit $rc); see $out" >&2
  fi
}

if [ -n "${LOCK:-}" ]; then
  exec 9>>"$LOCK"
fi
log "pinning: $([ "$PIN" = 1 ] && echo "gateways + redis on cpu $SERVER_CPUS, bench on cpu $BENCH_CPUS" || echo off); layer $LAYER on ${GW_PORT_LIST[*]}; logs in $LOG_DIR"
for round in $(seq 1 "$REPEATS"); do
  [ -n "${LOCK:-}" ] && flock 9
  for rate in "${RATE_LIST[@]}"; do
    for transport in "${TRANSPORT_LIST[@]}"; do
      log "round $round/$REPEATS: $transport${rate:+ at $rate msg/s}"
      run_one "$round" "$transport" "$rate"
    done
  done
  [ -n "${LOCK:-}" ] && flock -u 9
done

echo
log "results (logs in $LOG_DIR)"
cat "$LOG_DIR/load.txt" >&2
sed 's/^/RESULT /' "$LOG_DIR/results.jsonl"
# per rate: medians over the rounds; ratios are each round's transport / that round's ws, then their median
jq -rs '
  def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
                     else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def cpu_us: ([.gateways[].cpu_avg_pct] | add) / 100 * 1e6 / .delivered_per_s;
  def r(x): if x == null then "-" else (x * 100 | round / 100 | tostring) end;
  def key: "\(.round)/\(.rate)";
  group_by(.rate) | .[]
  | (map(select(.subscribe_via == "ws") | {key: key, value: .}) | from_entries) as $ws
  | "\n\(.[0].subscribers) subscribers × \(.[0].rate) msg/s, \(.[0].payload_bytes)-byte payload:",
    (group_by(.subscribe_via) | sort_by({ws: 0, sse: 1, poll: 2}[.[0].subscribe_via] // 3)
  | map({via: .[0].subscribe_via, n: length,
         dps: (map(.delivered_per_s) | median),
         p50: (map(.latency_us.p50 / 1000) | median), p99: (map(.latency_us.p99 / 1000) | median),
         cpu: (map(cpu_us) | median),
         lost: (map(.lost) | add), dup: (map(.duplicates) | add), disc: (map(.disconnects) | add),
         cpu_x: (map(select($ws[key]) | cpu_us / ($ws[key] | cpu_us)) | median),
         p99_x: (map(select($ws[key]) | .latency_us.p99 / $ws[key].latency_us.p99) | median)})
  | def row: "| " + (map(tostring) | join(" | ")) + " |";
    (["transport", "runs", "delivered/s", "p50 ms", "p99 ms", "server CPU µs/delivery", "CPU × ws", "p99 × ws",
      "lost", "dup", "disconnects"] | row),
    ([range(11)] | map("---") | row),
    (.[] | [.via, .n, (.dps | round), r(.p50), r(.p99), r(.cpu), r(.cpu_x), r(.p99_x), .lost, .dup, .disc] | row))
' "$LOG_DIR/results.jsonl"
