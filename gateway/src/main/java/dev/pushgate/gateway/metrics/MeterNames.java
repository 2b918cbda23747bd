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
    /** Counter: publications accepted, tag {@code source} (client, http, redis, internal). */
    public static final String MESSAGES_IN = "pushgate.messages.in";
    /** Counter: message frames written to subscribers. */
    public static final String MESSAGES_OUT = "pushgate.messages.out";
    /** Counter: messages dropped, tag {@code reason} (queue_full, slow_consumer). */
    public static final String MESSAGES_DROPPED = "pushgate.messages.dropped";
    /** Counter: publications refused or failed, tag {@code reason}. */
    public static final String PUBLISH_ERRORS = "pushgate.publish.errors";
    /** Timer: from a publication's arrival at this node to its write to a socket. */
    public static final String FANOUT_LATENCY = "pushgate.fanout.latency";
    /** Counter: error frames sent to clients, tag {@code code}. */
    public static final String CLIENT_ERRORS = "pushgate.client.errors";
    /** Counter: slow consumers closed with 4001. */
    public static final String SLOW_CONSUMER_CLOSES = "pushgate.slow.consumer.closes";
    /** Counter: connections closed at accept by a limit, tag {@code reason}. */
    public static final String CONNECTIONS_REFUSED = "pushgate.connections.refused";
    /** Counter: connection tokens refused, tag {@code reason} (invalid, expired). */
    public static final String AUTH_FAILURES = "pushgate.auth.failures";
    /** Counter: client messages refused by the per-connection rate limit. */
    public static final String RATE_LIMITED = "pushgate.client.rate.limited";
    /** Counter: HTTP requests answered, tags {@code route} and {@code status}. */
    public static final String HTTP_REQUESTS = "pushgate.http.requests";
    /** Counter: WebSocket handshakes refused, tag {@code reason}. */
    public static final String HANDSHAKE_FAILURES = "pushgate.handshake.failures";
    /** Gauge: 1 when the channel layer is usable, tag {@code layer}. */
    public static final String BROKER_UP = "pushgate.broker.up";
    /** Gauge: tasks waiting on the event loops. */
    public static final String EVENT_LOOP_PENDING = "pushgate.eventloop.pending.tasks";
    /** Gauge: bytes in use by Netty's pooled allocator, tag {@code memory} (direct, heap). */
    public static final String ALLOCATOR_USED = "pushgate.netty.allocator.used";

    private MeterNames() {
    }
}
