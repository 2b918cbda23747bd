# Shared by the bench scripts (sourced, not run): pinning, the processes a script starts and stops, ports, the
# jars, a Redis and a pushgate node with bench-friendly limits. Set SCRIPT (the name in messages) and LOG_DIR first.
#
# Environment: PIN (1 when the machine has 2+ cores: servers and Redis under `taskset -c $SERVER_CPUS` (0), the
# load generator under `taskset -c $BENCH_CPUS` (1); 0 to not pin)  JVM_OPTIONS (deploy/jvm.options)
# PUSHGATE_JAVA_OPTS ("", after the file, so it overrides)

JVM_OPTIONS="${JVM_OPTIONS-$ROOT/deploy/jvm.options}"
if [ -n "$JVM_OPTIONS" ] && [ ! -f "$JVM_OPTIONS" ]; then
  echo "$SCRIPT: JVM_OPTIONS file $JVM_OPTIONS not found" >&2; exit 1
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
      echo "$SCRIPT: $name exited before listening on $port; see $LOG_DIR" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "$SCRIPT: $name not listening on $port after 30 s; see $LOG_DIR" >&2
  return 1
}

ensure_jars() {
  if [ ! -f bench/target/bench.jar ] || [ ! -f gateway/target/gateway.jar ]; then
    log "building jars"
    ./mvnw -q -B -DskipTests package
  fi
}

# Starts redis-server on $1 (pinned with the servers, no persistence) and waits for it; its pid in REDIS_PID.
start_redis() {
  "${ON_SERVER[@]}" redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no >"$LOG_DIR/redis.log" 2>&1 &
  REDIS_PID=$!
  STARTED+=("$REDIS_PID")
  wait_port "$1" "$REDIS_PID" redis-server
}

# Starts a gateway on port $1 with the shipped JVM flags and bench-friendly limits (the defaults cap a connection at
# 50 msg/s and 10,000 connections per client IP), then the extra VAR=value settings given; its pid in NODE_PID.
# Uses LAYER, REDIS_URI and API_KEY. Does not wait for the port.
start_gateway() {
  local port="$1"
  shift
  # shellcheck disable=SC2086
  "${ON_SERVER[@]}" env GATEWAY_LAYER="$LAYER" GATEWAY_REDIS_URI="$REDIS_URI" GATEWAY_API_KEY="$API_KEY" \
    GATEWAY_LIMITS_MESSAGES_PER_SECOND=1000000 GATEWAY_LIMITS_MESSAGES_BURST=1000000 \
    GATEWAY_LIMITS_MAX_CONNECTIONS_PER_IP=0 GATEWAY_NAMESPACES_BENCH_PUBLISH=true GATEWAY_DEMOS_ENABLED=false "$@" \
    java ${JVM_OPTIONS:+@"$JVM_OPTIONS"} "-Xlog:gc:file=$LOG_DIR/gc-$port.log" ${PUSHGATE_JAVA_OPTS:-} \
    -jar gateway/target/gateway.jar --port "$port" >"$LOG_DIR/gateway-$port.log" 2>&1 &
  NODE_PID=$!
  STARTED+=("$NODE_PID")
}
