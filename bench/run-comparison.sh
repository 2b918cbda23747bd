#!/usr/bin/env bash
# Runs the same bench scenario against two pushgate nodes, two uWebSockets.js peer processes and two Socket.IO peer
# processes, all sharing one Redis (the gateway's redis layer, the uWS peer's Redis subscription feeding app.publish,
# Socket.IO's redis adapter), one stack at a time, and prints one RESULT line per stack.
#
#   bench/run-comparison.sh [scenario] [bench options...]
#   bench/run-comparison.sh fanout --subscribers 2000 --rate 2000 --duration 20 --warmup 5 --publish ws
#   bench/run-comparison.sh ramp --subscribers 1000 --start-rate 1000 --step 1000 --step-seconds 5 --publish http
#   bench/run-comparison.sh connections --connections 20000 --hold 10
#
# The scenario defaults to fanout; options go to both runs unchanged (do not pass --url, --pid, --target: the script
# sets them, and uses topic bench.t, a namespace the gateways are told to open for client publishing, without presence,
# like the peer's rooms). --publish redis goes to pushgate and uws as given (both read pushgate's Redis envelope); the
# Socket.IO side, which has no such channel, is sent --publish http instead (its adapter still carries it through Redis).
# Environment:
#   REDIS_PORT (6379)  GW_PORTS ("8080 8081")  PEER_PORTS ("3000 3001")  UWS_PORTS ("3100 3101")  API_KEY (generated)
#   LAYER (redis; memory only makes sense with one port in GW_PORTS, PEER_PORTS and UWS_PORTS)
#   ONLY (pushgate|uws|socketio, or several separated by commas: run those sides only)
#   JVM_OPTIONS (deploy/jvm.options: the gateway runs `java @$JVM_OPTIONS $PUSHGATE_JAVA_OPTS`, so the shipped flags;
#   empty to leave it out; GC pauses are logged to LOG_DIR/gc-<port>.log)  PUSHGATE_JAVA_OPTS ("", after the file, so it overrides)  BENCH_JAVA_OPTS ("")
#   PIN (1 when the machine has 2+ cores: servers and the Redis the script starts run under `taskset -c $SERVER_CPUS`
#   (0), the load generator under `taskset -c $BENCH_CPUS` (1); 0 to not pin)  LOG_DIR (bench/target/comparison-<time>)
#   WARM_ROUNDS (0: unmeasured runs of the same scenario against the same servers before the measured one, per side)
#   QUIET_WAIT (0: seconds to wait, before each side, for the 1-minute load average to drop below QUIET_LOAD (1.5));
#   the load average before and after each side is written to LOG_DIR/load.txt either way (shared, noisy machines)
# Logs of every process go to LOG_DIR; everything the script starts is stopped when it exits.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

SCENARIO="fanout"
if [ $# -gt 0 ] && [[ "$1" != --* ]]; then
  SCENARIO="$1"
  shift
fi
prev=""
for a in "$@"; do
  case "$a" in
    --url|--url=*|--pid|--pid=*|--target|--target=*|--topic|--topic=*)
      echo "run-comparison: $a is set by the script; leave it out" >&2; exit 2 ;;
  esac
done

REDIS_PORT="${REDIS_PORT:-6379}"
read -r -a GW_PORT_LIST <<< "${GW_PORTS:-8080 8081}"
read -r -a PEER_PORT_LIST <<< "${PEER_PORTS:-3000 3001}"
read -r -a UWS_PORT_LIST <<< "${UWS_PORTS:-3100 3101}"
side_selected() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }
API_KEY="${API_KEY:-bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')}"
ONLY="${ONLY:-}"
LAYER="${LAYER:-redis}"
LOG_DIR="${LOG_DIR:-$ROOT/bench/target/comparison-$(date +%Y%m%d-%H%M%S)}"
TOPIC="bench.t"
mkdir -p "$LOG_DIR"

SCRIPT=run-comparison
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

# Waits up to QUIET_WAIT seconds for a quieter machine, then records the load average next to the results.
note_load() {
  local side="$1" waited=0
  while [ "$waited" -lt "${QUIET_WAIT:-0}" ] \
        && ! awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v m="${QUIET_LOAD:-1.5}" 'BEGIN { exit !(l < m) }'; do
    sleep 1
    waited=$((waited + 1))
  done
  echo "$side $(date +%H:%M:%S) waited=${waited}s loadavg=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$LOG_DIR/load.txt"
}

# ---- prerequisites --------------------------------------------------------------------------------------------
if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    log "installing redis-server"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "run-comparison: redis-server missing (apt-get install -y redis-server)" >&2; exit 1
  fi
fi
command -v node >/dev/null 2>&1 || { echo "run-comparison: node is missing" >&2; exit 1; }
ensure_jars
for peer in socketio uws; do
  if side_selected "$peer" && [ ! -d "bench/peer/$peer/node_modules" ]; then
    log "installing the $peer peer's packages (npm ci)"
    (cd "bench/peer/$peer" && npm ci --no-audit --no-fund >"$LOG_DIR/npm-$peer.log" 2>&1) \
      || { echo "run-comparison: npm ci failed in bench/peer/$peer; see $LOG_DIR/npm-$peer.log" >&2; exit 1; }
  fi
done

# ---- redis ------------------------------------------------------------------------------------------------------
if port_open "$REDIS_PORT"; then
  log "reusing the redis already listening on $REDIS_PORT"
else
  start_redis "$REDIS_PORT"
fi
REDIS_URI="redis://127.0.0.1:$REDIS_PORT"

bench() {
  # shellcheck disable=SC2086
  "${ON_BENCH[@]}" java ${BENCH_JAVA_OPTS:-} -jar bench/target/bench.jar "$SCENARIO" --topic "$TOPIC" "$@"
}

# WARM_ROUNDS runs of the same scenario against the same server processes before the measured one (results kept
# in LOG_DIR/warm-<side>-<n>.log, not reported): every side gets the same warm-up, so a JIT is not measured cold.
warm_up() {
  local side="$1" n
  shift
  for n in $(seq 1 "${WARM_ROUNDS:-0}"); do
    log "$side: warm-up round $n/${WARM_ROUNDS}"
    bench "$@" >"$LOG_DIR/warm-$side-$n.log" 2>&1 || true
  done
}

RESULTS=()

run_pushgate() {
  local pids=() urls=() port pid
  for port in "${GW_PORT_LIST[@]}"; do
    start_gateway "$port"
    pid=$NODE_PID
    pids+=("$pid")
    urls+=(--url "ws://127.0.0.1:$port/ws" --pid "$pid")
  done
  for i in "${!GW_PORT_LIST[@]}"; do
    wait_port "${GW_PORT_LIST[$i]}" "${pids[$i]}" "gateway :${GW_PORT_LIST[$i]}" || return 1
  done
  log "pushgate: $SCENARIO on ${GW_PORT_LIST[*]} ($LAYER layer)"
  local rc=0
  local extra=()
  # the connections scenario publishes nothing: it takes neither a key nor a Redis address
  [ "$SCENARIO" != connections ] && extra=(--api-key "$API_KEY" --redis "$REDIS_URI")
  warm_up pushgate --target pushgate "${urls[@]}" "${extra[@]}" "$@"
  bench --target pushgate "${urls[@]}" "${extra[@]}" "$@" \
    | tee "$LOG_DIR/bench-pushgate.log" || rc=$?
  RESULTS+=("$(grep '^RESULT ' "$LOG_DIR/bench-pushgate.log" | tail -1 || true)")
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  return "$rc"
}

run_socketio() {
  local pids=() urls=() port pid
  for port in "${PEER_PORT_LIST[@]}"; do
    "${ON_SERVER[@]}" node bench/peer/socketio/server.js --port "$port" --redis "$([ "$LAYER" = redis ] && echo "$REDIS_URI")" >"$LOG_DIR/peer-$port.log" 2>&1 &
    pid=$!
    STARTED+=("$pid")
    pids+=("$pid")
    urls+=(--url "ws://127.0.0.1:$port/socket.io/?EIO=4&transport=websocket" --pid "$pid")
  done
  for i in "${!PEER_PORT_LIST[@]}"; do
    wait_port "${PEER_PORT_LIST[$i]}" "${pids[$i]}" "socket.io peer :${PEER_PORT_LIST[$i]}" || return 1
  done
  log "socketio: $SCENARIO on ${PEER_PORT_LIST[*]} ($LAYER adapter)"
  local rc=0
  local args=() prev="" a
  for a in "$@"; do
    if [ "$prev" = "--publish" ] && [ "$a" = redis ]; then a=http; fi
    if [ "$a" = "--publish=redis" ]; then a="--publish=http"; fi
    args+=("$a"); prev="$a"
  done
  warm_up socketio --target socketio "${urls[@]}" "${args[@]}"
  bench --target socketio "${urls[@]}" "${args[@]}" | tee "$LOG_DIR/bench-socketio.log" || rc=$?
  RESULTS+=("$(grep '^RESULT ' "$LOG_DIR/bench-socketio.log" | tail -1 || true)")
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  return "$rc"
}

run_uws() {
  local pids=() urls=() port pid
  for port in "${UWS_PORT_LIST[@]}"; do
    "${ON_SERVER[@]}" node bench/peer/uws/server.js --port "$port" --redis "$([ "$LAYER" = redis ] && echo "$REDIS_URI")" >"$LOG_DIR/uws-$port.log" 2>&1 &
    pid=$!
    STARTED+=("$pid")
    pids+=("$pid")
    urls+=(--url "ws://127.0.0.1:$port/ws" --pid "$pid")
  done
  for i in "${!UWS_PORT_LIST[@]}"; do
    wait_port "${UWS_PORT_LIST[$i]}" "${pids[$i]}" "uws peer :${UWS_PORT_LIST[$i]}" || return 1
  done
  log "uws: $SCENARIO on ${UWS_PORT_LIST[*]} ($LAYER)"
  local rc=0
  local extra=()
  [ "$SCENARIO" != connections ] && extra=(--redis "$REDIS_URI")
  warm_up uws --target uws "${urls[@]}" "${extra[@]}" "$@"
  bench --target uws "${urls[@]}" "${extra[@]}" "$@" | tee "$LOG_DIR/bench-uws.log" || rc=$?
  RESULTS+=("$(grep '^RESULT ' "$LOG_DIR/bench-uws.log" | tail -1 || true)")
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  return "$rc"
}

log "pinning: $([ "$PIN" = 1 ] && echo "servers + redis on cpu $SERVER_CPUS, bench on cpu $BENCH_CPUS" || echo off); gateway flags: ${JVM_OPTIONS:+@$JVM_OPTIONS }${PUSHGATE_JAVA_OPTS:-}"
status=0
if side_selected pushgate; then
  note_load pushgate-before; run_pushgate "$@" || status=1; QUIET_WAIT=0 note_load pushgate-after
fi
if side_selected uws; then
  note_load uws-before; run_uws "$@" || status=1; QUIET_WAIT=0 note_load uws-after
fi
if side_selected socketio; then
  note_load socketio-before; run_socketio "$@" || status=1; QUIET_WAIT=0 note_load socketio-after
fi

echo
log "results, one RESULT line per target (logs in $LOG_DIR)"
cat "$LOG_DIR/load.txt" >&2
for r in "${RESULTS[@]:-}"; do
  if [ -n "$r" ]; then echo "$r"; fi
done
exit "$status"
