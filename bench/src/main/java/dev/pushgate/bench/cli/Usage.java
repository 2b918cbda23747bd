package dev.pushgate.bench.cli;

/** The {@code --help} text. */
public final class Usage {
    /** What {@code --help} prints. */
    public static final String TEXT = """
            usage: java -jar bench.jar <scenario> [options]

            scenarios
              fanout        N subscribers; publishers at --rate msg/s for --duration s; loss, order, latency
              ramp          fanout with the rate raised step by step until loss or p99 pass their limits
              connections   N idle connections: handshake rate, failures, gateway RSS/heap per connection
              overload      fanout at a base rate, then --overload-factor times it, then the base again:
                            per-second p99, drops, slow subscribers, gateway memory and GC pauses

            target and connections (all scenarios)
              --target pushgate|socketio|uws  server dialect (default pushgate; uws: bench/peer/uws)
              --url URL                    WebSocket URL, repeatable, used round robin
                                           (default ws://127.0.0.1:8080/ws; socketio:
                                           ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket;
                                           uws: ws://127.0.0.1:3100/ws)
              --threads N                  event loop threads (default min(2, cores/2), at least 1)
              --source-ips A,B,...|auto    local addresses to connect from (auto: 127.0.0.x per 28,000 conns)
              --connect-concurrency N      handshakes in flight at once (default 256)
              --connect-timeout S          seconds allowed to connect and subscribe everyone (default 60)
              --pid PID                    gateway process to sample (CPU%, RSS), repeatable

            fanout and ramp
              --subscribers N              subscriber connections (default 100)
              --topic NAME                 topic (default chat.bench: clients may publish in namespace chat)
              --topics K                   spread over K topics NAME.0..NAME.K-1 (default 1)
              --transport ws|sse|poll      how subscribers receive (default ws; sse: GET /sse, poll: GET /poll
                                           in a loop, one request in flight; both pushgate only)
              --publish ws|http|redis      publish path (default ws; redis: not socketio)
              --publishers P               publisher connections, rate shared equally (default 1)
              --payload BYTES              size of each message's data (default 100)
              --batch N                    messages per HTTP request at most (default 100)
              --drain S                    seconds to wait for stragglers before counting loss (default 2)
              --api-key KEY                HTTP publish key (default: env GATEWAY_API_KEY)
              --publish-url URL            HTTP publish URL, repeatable (default: from --url, /api/publish
                                           for pushgate and uws, /publish for socketio)
              --redis URI                  Redis for --publish redis (default redis://127.0.0.1:6379)
              --redis-prefix P             channel prefix (default pushgate:topic:)
            fanout
              --rate R                     messages per second over all publishers (default 1000)
              --duration S                 seconds of publishing (default 10)
              --warmup S                   publish at the rate for S seconds first, unmeasured (default 0)
            ramp
              --start-rate R               first step (default 1000)
              --step R                     added per step (default: the start rate)
              --factor F                   multiply the rate by F per step instead of adding --step
                                           (default 1: add)
              --step-seconds S             length of a step (default 5)
              --max-rate R                 stop after this rate (default 10000000)
              --max-loss-pct X             a step fails above this loss (default 0.1)
              --max-p99-ms X               a step fails above this p99 (default 100)
              --warmup S                   publish at --start-rate for S seconds first, unmeasured (JIT)

            overload (and the fanout and ramp options above but --rate/--duration)
              --base-rate R                normal rate, msg/s (default 500)
              --overload-factor F          the overload is F × the base rate (default 2)
              --normal-seconds S           at the base rate before the overload (default 10)
              --overload-seconds S         at F × the base rate (default 30)
              --recover-seconds S          at the base rate after it (default 15)
              --slow-fraction X            share of subscribers that read slowly (default 0)
              --slow-read-bytes B          bytes/s a slow subscriber reads (default: half of what the base
                                           rate sends it)
              --recovered-within X         p99 counts as back to normal within X × the normal p99 (1.5)
              --metrics-url URL            a gateway's /metrics, read every second, repeatable (default:
                                           http://host:port/metrics of every --url for --target pushgate)

            connections
              --connections N              connections to open (default 1000)
              --hold S                     seconds to hold them open before measuring (default 5)
              --subscribe                  also subscribe each connection to --topic
              --no-jcmd                    do not read the gateway heap with jcmd (GC.run + GC.heap_info)

            output: a progress line a second, a summary, and one line "RESULT {json}" for scripts.
            exit status: 0 done, 1 the run failed (nothing connected, a publisher could not connect), 2 usage.
            """;

    private Usage() {
    }
}
