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
JVM_OPTIONS="${JVM_OPTIONS-$ROOT/deploy/jvm.options}"
if [ -n "$JVM_OPTIONS" ] && [ ! -f "$JVM_OPTIONS" ]; then
  echo "run-comparison: JVM_OPTIONS file $JVM_OPTIONS not found" >&2; exit 1
fi
if [ -z "${PIN:-}" ]; then
  PIN=$([ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null 2>&1 && echo 1 || echo 0)
fi
SERVER_CPUS="${SERVER_CPUS:-0}"
BENCH_CPUS="${BENCH_CPUS:-1}"
# command prefixes pinning to the server's / the load generator's cores (taskset execs, so $! stays the server's pid)
ON_SERVER=()
ON_BENCH=()
if [ "$PIN" = 1 ]; then
  ON_SERVER=(taskset -c "$SERVER_CPUS")
  ON_BENCH=(taskset -c "$BENCH_CPUS")
fi
side_selected() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }
API_KEY="${API_KEY:-bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')}"
ONLY="${ONLY:-}"
LAYER="${LAYER:-redis}"
LOG_DIR="${LOG_DIR:-$ROOT/bench/target/comparison-$(date +%Y%m%d-%H%M%S)}"
TOPIC="bench.t"
mkdir -p "$LOG_DIR"

STARTED=()
cleanup() {
  local pid
  for pid in "${STARTED[@]:-}"; do
    [ -n "$pid" ] && stop_pid "$pid"
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "== $*" >&2; }

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

stop_pid() {
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local port="$1" pid="$2" name="$3" i
  for i in $(seq 1 300); do
    if port_open "$port"; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "run-comparison: $name exited before listening on $port; see $LOG_DIR" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "run-comparison: $name not listening on $port after 30 s; see $LOG_DIR" >&2
  return 1
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
if [ ! -f bench/target/bench.jar ] || [ ! -f gateway/target/gateway.jar ]; then
  log "building jars"
  ./mvnw -q -B -DskipTests package
fi
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
  "${ON_SERVER[@]}" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$LOG_DIR/redis.log" 2>&1 &
  REDIS_PID=$!
  STARTED+=("$REDIS_PID")
  wait_port "$REDIS_PORT" "$REDIS_PID" redis-server
fi
REDIS_URI="redis://127.0.0.1:$REDIS_PORT"

bench() {
  # shellcheck disable=SC2086
  "${ON_BENCH[@]}" java ${BENCH_JAVA_OPTS:-} -jar bench/target/bench.jar "$SCENARIO" --topic "$TOPIC" "$@"
}

RESULTS=()

run_pushgate() {
  local pids=() urls=() port pid
  for port in "${GW_PORT_LIST[@]}"; do
    # bench-friendly limits: the defaults cap a connection at 50 msg/s and 10,000 connections per client IP
    # shellcheck disable=SC2086
    GATEWAY_LAYER="$LAYER" GATEWAY_REDIS_URI="$REDIS_URI" GATEWAY_API_KEY="$API_KEY" \
    GATEWAY_LIMITS_MESSAGES_PER_SECOND=1000000 GATEWAY_LIMITS_MESSAGES_BURST=1000000 \
    GATEWAY_LIMITS_MAX_CONNECTIONS_PER_IP=0 GATEWAY_NAMESPACES_BENCH_PUBLISH=true GATEWAY_DEMOS_ENABLED=false \
      "${ON_SERVER[@]}" java ${JVM_OPTIONS:+@"$JVM_OPTIONS"} "-Xlog:gc:file=$LOG_DIR/gc-$port.log" ${PUSHGATE_JAVA_OPTS:-} -jar gateway/target/gateway.jar --port "$port" >"$LOG_DIR/gateway-$port.log" 2>&1 &
    pid=$!
    STARTED+=("$pid")
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
