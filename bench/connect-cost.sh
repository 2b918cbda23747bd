#!/usr/bin/env bash
# What one connect + subscribe + close costs the gateway (BENCHMARKS.md, "Connect rate (stop 16)"): starts one
# gateway (memory layer) pinned to cpu 0, runs WARM rounds of the bench's connections scenario (pinned to cpu 1)
# against it and prints, per round, the gateway's CPU time per connection (whole process, and its event-loop and
# acceptor threads only); then one round each under perf record (PERF=1), strace -c -f (STRACE=1) and a JFR
# recording of per-thread allocation (ALLOC=1), whose results land in OUT.
#   bench/connect-cost.sh                       # WARM=6 N=10000 PORT=8080 METRICS_PORT=8090 TAG=x
#   JAR=/path/to/other/gateway.jar TAG=before bench/connect-cost.sh
# Wrap it in the machine's benchmark lock on a shared host. Needs perf/strace only for those rounds.
set -uo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8080}"; METRICS_PORT="${METRICS_PORT:-8090}"
WARM="${WARM:-6}"; N="${N:-10000}"; TAG="${TAG:-x}"; JAR="${JAR:-gateway/target/gateway.jar}"
OUT=bench/target/connect/prof-$TAG-$(date +%H%M%S); mkdir -p $OUT
GATEWAY_LAYER=memory GATEWAY_API_KEY=benchkey-12345 GATEWAY_LIMITS_MESSAGES_PER_SECOND=1000000 GATEWAY_LIMITS_MESSAGES_BURST=1000000 \
GATEWAY_LIMITS_MAX_CONNECTIONS_PER_IP=0 GATEWAY_NAMESPACES_BENCH_PUBLISH=true GATEWAY_DEMOS_ENABLED=false GATEWAY_METRICS_PORT=$METRICS_PORT \
  taskset -c 0 java @deploy/jvm.options -XX:MaxRAM=1g -XX:+PreserveFramePointer ${GW_OPTS:-} -jar $JAR --port $PORT >$OUT/gw.log 2>&1 &
GW=$!
for i in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
clk=$(getconf CLK_TCK)
cpu() { awk '{print $14+$15}' /proc/$GW/stat; }
# CPU ticks of the gateway's own threads (event loops, acceptor): without GC and JIT compiler threads
iocpu() { cat /proc/$GW/task/*/stat 2>/dev/null | awk '/\(pushgate-(io|accept)/ { s += $14 + $15 } END { print s + 0 }'; }
round() {
  local name=$1; shift
  local c0=$(cpu) i0=$(iocpu)
  taskset -c 1 java -jar bench/target/bench.jar connections --url ws://127.0.0.1:$PORT/ws --topic bench.t \
     --connections $N --hold 1 --subscribe --no-jcmd > $OUT/bench-$name.log 2>&1
  sleep 1
  local c1=$(cpu) i1=$(iocpu)
  local rate=$(grep -o '"per_s":[0-9.]*' $OUT/bench-$name.log | head -1 | cut -d: -f2)
  echo "$TAG round $name: cpu_us_per_conn=$(( (c1-c0)*1000000/clk/N )) loops_us_per_conn=$(( (i1-i0)*1000000/clk/N )) rate=$rate load=$(cut -d' ' -f1 /proc/loadavg)" | tee -a $OUT/summary.txt
}
for r in $(seq 1 $WARM); do round w$r; done
if [ "${PERF:-1}" = 1 ]; then
  perf record -F 999 -g -p $GW -o $OUT/perf.data 2>/dev/null & PF=$!
  sleep 0.5; round perf; kill -INT $PF; wait $PF
  jcmd $GW Compiler.perfmap >/dev/null 2>&1
fi
if [ "${STRACE:-1}" = 1 ]; then
  strace -c -f -p $GW -o $OUT/strace.txt 2>/dev/null & ST=$!
  sleep 1; round strace; kill -INT $ST; wait $ST
fi
if [ "${ALLOC:-1}" = 1 ]; then
  cat > $OUT/alloc.jfc <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="alloc">
  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting><setting name="period">1 s</setting></event>
</configuration>
JFC
  jcmd $GW JFR.start name=a settings=$PWD/$OUT/alloc.jfc filename=$OUT/alloc.jfr >/dev/null
  round alloc
  jcmd $GW JFR.stop name=a >/dev/null
  jfr print --json --events jdk.ThreadAllocationStatistics $OUT/alloc.jfr | python3 -c '
import json,sys,collections
ev=json.load(sys.stdin)["recording"]["events"]; by=collections.defaultdict(list)
for e in ev:
    v=e["values"]; t=(v.get("thread") or {}).get("javaName") or "?"; by[t].append((v["startTime"], v["allocated"]))
tot=sum(max(a for _,a in l)-min(a for _,a in l) for t,l in by.items() if t.startswith("pushgate"))
print("'$TAG' alloc: loop threads allocated %.0f B/conn" % (tot/'$N'))' | tee -a $OUT/summary.txt
fi
if [ "${JFR:-0}" = 1 ]; then
  jcmd $GW JFR.start name=p settings=profile filename=$OUT/rec.jfr >/dev/null
  round jfr
  jcmd $GW JFR.stop name=p >/dev/null
fi
kill -TERM $GW; wait $GW 2>/dev/null
echo $OUT
