package dev.pushgate.gateway.metrics;

/**
 * Every meter name the gateway registers. Dotted lower case without unit or {@code total} suffixes: the Prometheus
 * registry renders {@code pushgate.messages.in} as {@code pushgate_messages_in_total}.
 */
public final class MeterNames {
    /** Gauge: open connections, tag {@code transport}. */
    public static final String CONNECTIONS = "pushgate.connections";
    /** Counter: connections opened, tag {@code transport}. */
    public static final String CONNECTIONS_OPENED = "pushgate.connections.opened";
    /** Counter: connections closed, tags {@code transport} and {@code code} (close code or reason). */
    public static final String CONNECTIONS_CLOSED = "pushgate.connections.closed";
    /** Gauge: local (connection, topic) subscriptions. */
    public static final String SUBSCRIPTIONS = "pushgate.subscriptions";
    /** Gauge: topics with at least one local subscriber. */
    public static final String TOPICS = "pushgate.topics";
    /**
     * Counter: publications taken in, tag {@code source}: {@code client} (WebSocket publish), {@code http}
     * ({@code POST /api/publish}), {@code internal} (the gateway's own: stats, demos) — each accepted by this node's
     * channel layer — and {@code redis}: publications this node received from Redis (from any node or backend, its
     * own included), so on the Redis layer do not add {@code redis} to the others.
     */
    public static final String MESSAGES_IN = "pushgate.messages.in";
    /** Counter: message frames written to subscribers. */
    public static final String MESSAGES_OUT = "pushgate.messages.out";
    /** Counter (bytes): WebSocket message payload received from clients (after decompression). */
    public static final String PAYLOAD_IN = "pushgate.payload.in";
    /** Counter (bytes): message payload written to subscribers (frames counted in messages out, before compression). */
    public static final String PAYLOAD_OUT = "pushgate.payload.out";
    /** Counter: messages dropped, tag {@code reason} (queue_full, queue_delay, slow_consumer, node_budget). */
    public static final String MESSAGES_DROPPED = "pushgate.messages.dropped";
    /** Counter: publications refused or failed, tag {@code reason}. */
    public static final String PUBLISH_ERRORS = "pushgate.publish.errors";
    /** Timer: from a publication's arrival at this node to its write to a socket. */
    public static final String FANOUT_LATENCY = "pushgate.fanout.latency";
    /** Counter: deliveries that failed inside the gateway (an exception in the fan-out path); the rest went on. */
    public static final String FANOUT_ERRORS = "pushgate.fanout.errors";
    /** Counter: error frames sent to clients, tag {@code code}. */
    public static final String CLIENT_ERRORS = "pushgate.client.errors";
    /** Counter: slow consumers closed with 4001. */
    public static final String SLOW_CONSUMER_CLOSES = "pushgate.slow.consumer.closes";
    /** Counter: connections closed at accept by a limit, tag {@code reason}. */
    public static final String CONNECTIONS_REFUSED = "pushgate.connections.refused";
    /** Counter: connection tokens refused, tag {@code reason} (invalid, expired). */
    public static final String AUTH_FAILURES = "pushgate.auth.failures";
    /** Counter: fetches of the {@code auth.jwks-url} key set, tag {@code result} (ok, error). */
    public static final String JWKS_FETCHES = "pushgate.auth.jwks.fetches";
    /** Counter: client messages refused by the per-connection rate limit. */
    public static final String RATE_LIMITED = "pushgate.client.rate.limited";
    /** Counter: HTTP requests answered, tags {@code route} and {@code status}. */
    public static final String HTTP_REQUESTS = "pushgate.http.requests";
    /** Counter: WebSocket handshakes refused, tag {@code reason}. */
    public static final String HANDSHAKE_FAILURES = "pushgate.handshake.failures";
    /** Gauge: 1 while the node takes traffic ({@code /readyz} answers 200), 0 while draining or its layer is down. */
    public static final String READY = "pushgate.ready";
    /** Gauge: 1 when the channel layer is usable, tag {@code layer}; on the Redis layer the Redis connection state. */
    public static final String BROKER_UP = "pushgate.broker.up";
    /** Counter: times the Redis layer became unusable (a connection to Redis lost). */
    public static final String REDIS_OUTAGES = "pushgate.redis.outages";
    /** Counter: resubscribes after a Redis reconnect (every topic with local subscribers subscribed again). */
    public static final String REDIS_RESUBSCRIBES = "pushgate.redis.resubscribes";
    /** Timer: from the Redis connection's return to the end of the resubscribe. */
    public static final String REDIS_RESUBSCRIBE_DURATION = "pushgate.redis.resubscribe.duration";
    /** Timer: from sending a publish command to Redis to its answer. */
    public static final String REDIS_COMMAND_LATENCY = "pushgate.redis.command.latency";
    /** Counter: Redis channel messages dropped because they are not valid envelopes. */
    public static final String REDIS_MALFORMED = "pushgate.redis.messages.malformed";
    /** Counter: pub/sub liveness probes that did not come back in time (the link was reconnected). */
    public static final String REDIS_PROBE_FAILURES = "pushgate.redis.probe.failures";
    /** Gauge: Redis channels this node is subscribed to (one per topic with local subscribers). */
    public static final String REDIS_CHANNELS = "pushgate.redis.channels";
    /** Gauge: tasks waiting on the event loops. */
    public static final String EVENT_LOOP_PENDING = "pushgate.eventloop.pending.tasks";
    /** Gauge (bytes): outbound bytes counted against {@code outbound.node-budget} (connection backlogs + queues). */
    public static final String OUTBOUND_BUDGET_USED = "pushgate.outbound.budget.used";
    /** Gauge (bytes): the node's outbound budget ({@code outbound.node-budget}, or the derived default). */
    public static final String OUTBOUND_BUDGET_LIMIT = "pushgate.outbound.budget.limit";
    /** Gauge: bytes in use by Netty's pooled allocator, tag {@code memory} (direct, heap). */
    public static final String ALLOCATOR_USED = "pushgate.netty.allocator.used";

    private MeterNames() {
    }
    /** Subscribes with {@code since}, tag {@code outcome}: {@code recovered} or {@code not_recovered}. */
    public static final String RECOVERIES = "pushgate.subscriptions.recoveries";
    /** Holes in a topic's live stream this node repaired from history, tag {@code outcome}: repaired, gap. */
    public static final String TOPIC_REPAIRS = "pushgate.topic.repairs";
}
