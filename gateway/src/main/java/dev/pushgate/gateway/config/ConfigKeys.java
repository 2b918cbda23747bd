package dev.pushgate.gateway.config;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every configuration key the gateway reads, in one place: the loader checks names against it, {@code --help}
 * prints it and the README's configuration table is written from it. Namespace policies are the only keys not
 * listed one by one: {@code namespaces.<name>.<field>} with the fields in {@link #NAMESPACE_FIELDS}.
 */
public final class ConfigKeys {
    public static final List<ConfigKey> ALL = List.of(
            new ConfigKey("node-id", "", "Name of this node in logs, presence and stats; empty picks host name + random suffix"),
            new ConfigKey("host", "0.0.0.0", "Address the listener binds"),
            new ConfigKey("port", "8080", "Port serving WebSocket, HTTP API, metrics and demos (0 picks a free port)"),
            new ConfigKey("transport", "auto", "Socket transport: auto (epoll when available, else nio), epoll, io_uring or nio"),
            new ConfigKey("io-threads", "0", "Event-loop threads; 0 means 2 x CPU cores"),
            new ConfigKey("api-key", "", "Bearer keys for the HTTP API, comma separated; each is key (all scopes) or key:scope|scope with scopes publish, presence, stats, history; empty generates one per run and logs it"),
            new ConfigKey("layer", "memory", "Channel layer: memory (one node) or redis (many nodes share one Redis)"),
            new ConfigKey("redis.uri", "redis://127.0.0.1:6379", "Redis URI for layer=redis (redis:// or rediss://, optional password and database)"),
            new ConfigKey("redis.prefix", "pushgate:", "Prefix of every Redis key and channel the gateway uses"),
            new ConfigKey("redis.command-timeout", "2s", "Time a Redis command may take before it fails"),
            new ConfigKey("redis.max-pending", "10000", "Bounded queue of each Redis connection (publishes, history reads, presence writes); beyond it they fail fast"),
            new ConfigKey("redis.probe-interval", "2s", "Period of the pub/sub liveness probe (a message to the node's own channel; 3 missed periods = link broken, reconnect); 0 = off"),
            new ConfigKey("presence.ttl", "30s", "How long a member stays in presence after its node stops refreshing it (crashed nodes vanish after this)"),
            new ConfigKey("ws.max-frame-size", "64KiB", "Largest single WebSocket frame a client may send (larger: close 1009)"),
            new ConfigKey("ws.max-message-size", "256KiB", "Largest message a client may send, after joining fragments (larger: close 1009)"),
            new ConfigKey("ws.compression", "true", "Offer permessage-deflate to clients that ask for it"),
            new ConfigKey("ws.compression-min-size", "512B", "Outgoing frames smaller than this are sent uncompressed even when deflate was negotiated"),
            new ConfigKey("ws.handshake-timeout", "10s", "Time a connection has to complete the WebSocket upgrade, counted from the start of the upgrade request as for http.request-timeout"),
            new ConfigKey("heartbeat.interval", "30s", "Server sends a WebSocket Ping after this long without any frame from the client (up to a tenth of the shorter of this and timeout - interval later, at most 1 s: one timer per event loop checks its connections)"),
            new ConfigKey("heartbeat.timeout", "35s", "A client silent this long (no frame, no Pong) is closed with 4000"),
            new ConfigKey("http.max-body-size", "1MiB", "Largest HTTP request body (larger: 413)"),
            new ConfigKey("http.max-batch", "1000", "Most publications in one batch POST /api/publish"),
            new ConfigKey("http.request-timeout", "10s", "Time an HTTP request (head and body) has to arrive, from its first byte; later: 408 and close"),
            new ConfigKey("sse.retry", "2s", "The retry: an SSE stream tells the browser (how long EventSource waits before reconnecting)"),
            new ConfigKey("sse.max-streams", "10000", "Open SSE streams per node; more: 503"),
            new ConfigKey("sse.max-streams-per-ip", "100", "Open SSE streams per client IP (0: no cap); more: 429"),
            new ConfigKey("poll.timeout", "25s", "How long GET /poll with since holds the request when nothing is newer, then answers with no messages"),
            new ConfigKey("poll.max-polls", "10000", "Polls open at once per node; more: 503"),
            new ConfigKey("poll.max-polls-per-ip", "100", "Polls open at once per client IP (0: no cap); more: 429"),
            new ConfigKey("limits.max-subscriptions", "256", "Subscriptions one connection may hold"),
            new ConfigKey("limits.topic-max-length", "128", "Longest topic name accepted (hard maximum 255)"),
            new ConfigKey("outbound.max-buffer", "1MiB", "Bytes that may wait unsent for one connection before it counts as a slow consumer"),
            new ConfigKey("outbound.socket-send-buffer", "0B", "SO_SNDBUF of client connections (0: the kernel's auto-tuning); a small one makes the outbound budget bite sooner"),
            new ConfigKey("outbound.node-budget", "0B", "Bytes all connections of the node together may hold unsent, plus queued publications; short of it, connections that are behind are refused messages first (0: half of Netty's direct-memory limit)"),
            new ConfigKey("outbound.slow-grace", "5s", "How long a connection may stay over its outbound budget (messages skipped) before close 4001"),
            new ConfigKey("fanout.write-delay", "0ms", "Optional delay that lets bursts to the same socket share one flush (Centrifugo's write_delay); 0 flushes at once"),
            new ConfigKey("fanout.queue-size", "65536", "Bounded per-event-loop queue of pending deliveries; overflow drops and counts"),
            new ConfigKey("fanout.max-queue-delay", "250ms", "A publication still in an event loop's queue when one this much newer was queued behind it (the loop is behind the traffic: overload) is dropped for that loop's subscribers and counted, instead of delivered late; 0 never drops"),
            new ConfigKey("fanout.cork-threshold", "2KiB", "WebSocket fan-out frames smaller than this are copied into one buffer per connection and batch (corked), larger ones are shared by reference; 0 corks none"),
            new ConfigKey("fanout.flush-bytes", "16KiB", "A fan-out batch flushes a socket once this many bytes were written to it since its last flush, else at the end of the batch"),
            new ConfigKey("shutdown.grace", "10s", "On SIGTERM: time to send close 1001 and drain before exiting"),
            new ConfigKey("demos.enabled", "true", "Serve the demo pages at / and the /demo/* endpoints"),
            new ConfigKey("demos.tail-file", "", "File the tail -f demo streams to topic demo.tail; empty tails a demo log the gateway writes itself"),
            new ConfigKey("ws.allowed-origins", "", "Origins allowed to open WebSockets, comma separated (e.g. https://app.example.com); empty allows same-origin pages and clients that send no Origin; * allows any"),
            new ConfigKey("ws.echo-enabled", "false", "Serve /ws/echo: the same pipeline as /ws, echoing every message (for RFC 6455/7692 fuzzing suites)"),
            new ConfigKey("limits.max-connections", "1000000", "Open connections this node accepts; beyond it new TCP connections are closed at once"),
            new ConfigKey("limits.max-connections-per-ip", "10000", "Open connections per client IP (0: no limit); raise or disable behind a proxy that hides client IPs"),
            new ConfigKey("limits.messages-per-second", "50", "Messages per second one connection may send (token bucket refill rate)"),
            new ConfigKey("limits.messages-burst", "100", "Token bucket size; a client that keeps sending while over it is closed with 4002"),
            new ConfigKey("tls.enabled", "false", "Also listen with TLS (wss:// and https://) on tls.port"),
            new ConfigKey("tls.port", "8443", "Port of the TLS listener"),
            new ConfigKey("tls.cert-file", "", "PEM certificate chain for the TLS listener"),
            new ConfigKey("tls.key-file", "", "PEM private key (PKCS#8) for the TLS listener"),
            new ConfigKey("tls.reload-interval", "60s", "How often the certificate files are checked for changes and reloaded without restart (0: never)"),
            new ConfigKey("auth.hmac-secret", "", "Secret for HS256 connection tokens (at least 32 bytes)"),
            new ConfigKey("auth.rsa-public-key-file", "", "PEM RSA public key for RS256 connection tokens"),
            new ConfigKey("auth.ec-public-key-file", "", "PEM EC P-256 public key for ES256 connection tokens"),
            new ConfigKey("auth.jwks-file", "", "JWKS file with RSA and EC public keys (selected by kid)"),
            new ConfigKey("auth.refresh-warning", "30s", "How long before a token expires the connection is told to refresh"),
            new ConfigKey("auth.jwks-url", "", "http(s) URL of a JWKS with RSA and EC public keys (selected by kid), fetched in the background and cached"),
            new ConfigKey("auth.jwks-refresh", "5m", "How often the auth.jwks-url key set is fetched again"),
            new ConfigKey("auth.jwks-min-refetch", "30s", "A token with a kid not in the auth.jwks-url set triggers a background fetch, at most once per this time"),
            new ConfigKey("auth.audience", "", "When set, a token must have this value in its aud claim"),
            new ConfigKey("auth.issuer", "", "When set, a token's iss claim must equal this value"),
            new ConfigKey("metrics.port", "0", "Separate port serving /metrics (and /healthz, /readyz), so it need not be reachable where clients are; 0 serves /metrics on port"),
            new ConfigKey("admin.enabled", "false", "Serve the live admin page /admin and let WebSocket clients subscribe to the stats topic pushgate.stats (with token keys configured: only with a token whose subs allow it)"),
            new ConfigKey("stats.interval", "2s", "How often a node samples its numbers (GET /api/stats, message rates) and publishes them to pushgate.stats for the other nodes and /admin"),
            new ConfigKey("log.format", "text", "Log lines: text (human-readable) or json (one JSON object per line)"),
            new ConfigKey("log.level", "INFO", "Level of the gateway's own log (TRACE, DEBUG, INFO, WARN, ERROR); DEBUG adds per-connection events and the access log"),
            new ConfigKey("log.access", "false", "Write the HTTP access log (logger pushgate.access, one line per request) without the rest of DEBUG"));

    /** Fields of a namespace policy: {@code namespaces.<name>.<field>} and {@code namespace-defaults.<field>}. */
    public static final Map<String, String> NAMESPACE_FIELDS = Map.of(
            "publish", "Clients may publish to topics of this namespace (backends always may)",
            "presence", "Track who is subscribed (queryable with GET /api/presence)",
            "join-leave", "Send join/leave events to the namespace's subscribers (needs presence)",
            "anonymous", "Connections without a token may subscribe (only matters once token keys are configured)",
            "slow-consumer", "What happens to a subscriber over its outbound budget: close (4001 after the grace period) or skip (messages skipped, then told)",
            "history-size", "Publications each topic keeps for recovery (subscribe with since, GET /api/history, node catch-up); 0 keeps none",
            "history-ttl", "How long a topic's publications are kept, also after its last subscriber left (0: none)");

    /**
     * The built-in namespace policies: the demo namespace {@code chat} lets clients publish; {@code chat} and
     * {@code demo} keep history (100 messages, 10 minutes), other namespaces none.
     */
    public static final Map<String, String> BUILT_IN = Map.ofEntries(
            Map.entry("namespaces.chat.publish", "true"),
            Map.entry("namespaces.chat.presence", "true"),
            Map.entry("namespaces.chat.anonymous", "true"),
            Map.entry("namespaces.demo.anonymous", "true"),
            Map.entry("namespaces.chat.history-size", "100"),
            Map.entry("namespaces.chat.history-ttl", "10m"),
            Map.entry("namespaces.demo.history-size", "100"),
            Map.entry("namespaces.demo.history-ttl", "10m"),
            Map.entry("namespace-defaults.history-size", "0"),
            Map.entry("namespace-defaults.history-ttl", "0s"),
            Map.entry("namespace-defaults.anonymous", "false"),
            Map.entry("namespace-defaults.slow-consumer", "close"),
            Map.entry("namespace-defaults.publish", "false"),
            Map.entry("namespace-defaults.presence", "false"),
            Map.entry("namespace-defaults.join-leave", "false"));

    private static final Map<String, ConfigKey> BY_NAME =
            ALL.stream().collect(Collectors.toMap(ConfigKey::name, Function.identity()));

    private ConfigKeys() {
    }

    /** The key named {@code name}, or {@code null}. */
    public static ConfigKey find(String name) {
        return BY_NAME.get(name);
    }

    /** Whether {@code name} is a namespace policy key. */
    public static boolean isNamespaceKey(String name) {
        String[] parts = name.split("\\.");
        if (parts.length == 3 && parts[0].equals("namespaces")) {
            return NAMESPACE_FIELDS.containsKey(parts[2]) && !parts[1].isEmpty();
        }
        return parts.length == 2 && parts[0].equals("namespace-defaults") && NAMESPACE_FIELDS.containsKey(parts[1]);
    }
}
