package dev.pushgate.gateway.metrics;

import dev.pushgate.gateway.hub.FanoutMetrics;
import dev.pushgate.gateway.publish.PublishSource;
import dev.pushgate.protocol.CloseCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's own meters. Counters on the hot path are pre-registered; tagged counters with open tag sets
 * (close code, error reason) are cached per tag value. Thread-safe.
 */
public final class GatewayMetrics implements FanoutMetrics {
    /** The bounded set of {@code code} tag values of the closed-connections counter. */
    private static final Set<String> CLOSE_CODE_TAGS = closeCodeTags();

    private final MeterRegistry registry;
    private final AtomicInteger wsConnections = new AtomicInteger();
    private final java.util.List<AtomicInteger> transportGauges = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Counter opened;
    private final Map<PublishSource, Counter> messagesIn = new EnumMap<>(PublishSource.class);
    private final Counter messagesOut;
    private final Counter payloadIn;
    private final Counter payloadOut;
    private final Counter droppedQueueFull;
    private final Counter droppedQueueDelay;
    private final Counter droppedSlow;
    private final Counter droppedBudget;
    private final Counter slowCloses;
    private final Timer fanoutLatency;
    private final Counter fanoutErrors;
    private final Map<String, Counter> tagged = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(MeterNames.CONNECTIONS, wsConnections, AtomicInteger::get).tag("transport", "websocket")
                .description("Open connections").register(registry);
        this.opened = Counter.builder(MeterNames.CONNECTIONS_OPENED).tag("transport", "websocket")
                .description("Connections opened").register(registry);
        for (PublishSource s : PublishSource.values()) {
            messagesIn.put(s, Counter.builder(MeterNames.MESSAGES_IN).tag("source", s.tag())
                    .description("Publications accepted by this node").register(registry));
        }
        this.messagesOut = Counter.builder(MeterNames.MESSAGES_OUT)
                .description("Message frames written to subscribers").register(registry);
        this.payloadIn = Counter.builder(MeterNames.PAYLOAD_IN).baseUnit("bytes")
                .description("WebSocket message payload received from clients").register(registry);
        this.payloadOut = Counter.builder(MeterNames.PAYLOAD_OUT).baseUnit("bytes")
                .description("Message payload written to subscribers").register(registry);
        this.droppedQueueFull = dropped("queue_full");
        this.droppedQueueDelay = dropped("queue_delay");
        this.droppedSlow = dropped("slow_consumer");
        this.droppedBudget = dropped("node_budget");
        this.slowCloses = Counter.builder(MeterNames.SLOW_CONSUMER_CLOSES)
                .description("Connections closed with 4001 for not keeping up").register(registry);
        this.fanoutLatency = Timer.builder(MeterNames.FANOUT_LATENCY)
                .description("From a publication's arrival at this node to its write to a socket")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
        this.fanoutErrors = Counter.builder(MeterNames.FANOUT_ERRORS)
                .description("Deliveries that failed inside the gateway; the fan-out went on").register(registry);
        // Known tag values start at 0, so rate() and alerts see the series before the first event.
        for (String reason : new String[] {"invalid_topic", "unavailable", "internal", "forbidden"}) {
            publishErrorCounter(reason);
        }
        for (String reason : new String[] {"origin", "not_upgrade", "token", "timeout", "tls",
                "http_version", "no_host", "version", "invalid_key"}) {
            handshakeFailureCounter(reason);
        }
        for (String reason : new String[] {"invalid", "expired"}) {
            authFailureCounter(reason);
        }
        for (String reason : new String[] {"max_connections", "max_connections_per_ip"}) {
            connectionRefusedCounter(reason);
        }
        rateLimitedCounter();
        for (String outcome : new String[] {"recovered", "not_recovered"}) {
            recoveryCounter(outcome);
        }
        for (String outcome : new String[] {"repaired", "gap"}) {
            repairCounter(outcome);
        }
    }

    /** A subscribe with {@code since} answered: whether it recovered, and how many messages it replayed. */
    public void recovery(boolean recovered, int replayed) {
        recoveryCounter(recovered ? "recovered" : "not_recovered").increment();
    }

    private Counter recoveryCounter(String outcome) {
        return tagged.computeIfAbsent("recovery:" + outcome, k -> Counter.builder(MeterNames.RECOVERIES)
                .tag("outcome", outcome).description("Subscribes that asked to recover from a position")
                .register(registry));
    }

    private Counter repairCounter(String outcome) {
        return tagged.computeIfAbsent("repair:" + outcome, k -> Counter.builder(MeterNames.TOPIC_REPAIRS)
                .tag("outcome", outcome).description("Holes in a topic's live stream found by this node")
                .register(registry));
    }

    @Override
    public void topicRepaired() {
        repairCounter("repaired").increment();
    }

    @Override
    public void topicGap() {
        repairCounter("gap").increment();
    }

    private static Set<String> closeCodeTags() {
        Set<String> tags = new HashSet<>(List.of("abnormal", "1005", "other"));
        for (CloseCode c : CloseCode.values()) {
            tags.add(Integer.toString(c.code()));
        }
        for (int code = 1000; code <= 1014; code++) {
            if (CloseCode.allowedOnWire(code)) {
                tags.add(Integer.toString(code));
            }
        }
        return Set.copyOf(tags);
    }

    public MeterRegistry registry() {
        return registry;
    }

    private Counter dropped(String reason) {
        return Counter.builder(MeterNames.MESSAGES_DROPPED).tag("reason", reason)
                .description("Messages not delivered to a subscriber").register(registry);
    }

    /** A WebSocket connection completed its handshake. */
    public void connectionOpened() {
        wsConnections.incrementAndGet();
        opened.increment();
    }

    /**
     * A WebSocket connection closed; {@code code} is the close code sent or received, or a reason word. A client
     * chooses the code it sends, so only the gateway's own codes, the registered RFC 6455 codes and the words
     * {@code abnormal} and {@code 1005} (no code) become tag values; anything else is counted as {@code other}.
     */
    public void connectionClosed(String code) {
        wsConnections.decrementAndGet();
        String tag = CLOSE_CODE_TAGS.contains(code) ? code : "other";
        tagged.computeIfAbsent("closed:" + tag, k -> Counter.builder(MeterNames.CONNECTIONS_CLOSED)
                .tag("transport", "websocket").tag("code", tag)
                .description("Connections closed, by close code").register(registry)).increment();
    }

    /**
     * Registers the open-connections gauge of another transport ({@code sse}, {@code poll}): {@code open} is read
     * at scrape time (held strongly here).
     */
    public void transportConnections(String transport, AtomicInteger open) {
        transportGauges.add(open);
        Gauge.builder(MeterNames.CONNECTIONS, open, AtomicInteger::get).tag("transport", transport)
                .description("Open connections").register(registry);
    }

    /** Open WebSocket connections. */
    public int connections() {
        return wsConnections.get();
    }

    public void messageIn(PublishSource source) {
        messagesIn.get(source).increment();
    }

    /** A WebSocket message of {@code bytes} payload bytes arrived from a client. */
    public void payloadReceived(int bytes) {
        payloadIn.increment(bytes);
    }

    /** Publications accepted by this node so far (every source but {@code redis}, which counts arrivals). */
    public double messagesInTotal() {
        return messagesIn.get(PublishSource.CLIENT).count() + messagesIn.get(PublishSource.HTTP).count()
                + messagesIn.get(PublishSource.INTERNAL).count();
    }

    /** Message frames written to subscribers so far. */
    public double messagesOutTotal() {
        return messagesOut.count();
    }

    /** WebSocket payload bytes received so far. */
    public double payloadInTotal() {
        return payloadIn.count();
    }

    /** Message payload bytes written so far. */
    public double payloadOutTotal() {
        return payloadOut.count();
    }

    public void publishError(String reason) {
        publishErrorCounter(reason).increment();
    }

    private Counter publishErrorCounter(String reason) {
        return tagged.computeIfAbsent("publish:" + reason, k -> Counter.builder(MeterNames.PUBLISH_ERRORS)
                .tag("reason", reason).description("Publications refused or failed").register(registry));
    }

    /** An error frame sent to a client. */
    public void clientError(String code) {
        tagged.computeIfAbsent("client:" + code, k -> Counter.builder(MeterNames.CLIENT_ERRORS).tag("code", code)
                .description("Error frames sent to clients").register(registry)).increment();
    }

    /** A WebSocket handshake refused. */
    public void handshakeFailure(String reason) {
        handshakeFailureCounter(reason).increment();
    }

    private Counter handshakeFailureCounter(String reason) {
        return tagged.computeIfAbsent("handshake:" + reason, k -> Counter.builder(MeterNames.HANDSHAKE_FAILURES)
                .tag("reason", reason).description("WebSocket handshakes refused").register(registry));
    }

    /** A TCP connection closed at accept because a connection limit was reached. */
    public void connectionRefused(String reason) {
        connectionRefusedCounter(reason).increment();
    }

    private Counter connectionRefusedCounter(String reason) {
        return tagged.computeIfAbsent("refused:" + reason, k -> Counter.builder(MeterNames.CONNECTIONS_REFUSED)
                .tag("reason", reason).description("Connections refused by a limit").register(registry));
    }

    /** A token refused, tag {@code reason} (invalid, expired). */
    public void authFailure(String reason) {
        authFailureCounter(reason).increment();
    }

    private Counter authFailureCounter(String reason) {
        return tagged.computeIfAbsent("auth:" + reason, k -> Counter.builder(MeterNames.AUTH_FAILURES)
                .tag("reason", reason).description("Connection tokens refused").register(registry));
    }

    /** A client message refused by the rate limit. */
    public void rateLimited() {
        rateLimitedCounter().increment();
    }

    private Counter rateLimitedCounter() {
        return tagged.computeIfAbsent("rate", k -> Counter.builder(MeterNames.RATE_LIMITED)
                .description("Client messages refused by the rate limit").register(registry));
    }

    /** An HTTP request answered. */
    public void httpRequest(String route, int status) {
        tagged.computeIfAbsent("http:" + route + ":" + status, k -> Counter.builder(MeterNames.HTTP_REQUESTS)
                .tag("route", route).tag("status", Integer.toString(status))
                .description("HTTP requests answered").register(registry)).increment();
    }

    /** A message skipped for a subscriber over its outbound budget. */
    public void droppedSlowConsumer() {
        droppedSlow.increment();
    }

    /** A slow consumer closed with 4001. */
    public void slowConsumerClosed() {
        slowCloses.increment();
    }

    @Override
    public void delivered(int count, long bytes, long latencyNanos) {
        messagesOut.increment(count);
        payloadOut.increment(bytes);
        fanoutLatency.record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void droppedQueueFull() {
        droppedQueueFull.increment();
    }

    /** A publication dropped for one loop because it waited in the loop's queue past {@code fanout.max-queue-delay}. */
    @Override
    public void droppedQueueDelay() {
        droppedQueueDelay.increment();
    }

    /** A message not delivered because the node is at its outbound budget (a publication for one loop, or one
     * connection's message refused while the node is short). */
    @Override
    public void droppedNodeBudget() {
        droppedBudget.increment();
    }

    @Override
    public void fanoutError() {
        fanoutErrors.increment();
    }

    @Override
    public void unrouted() {
        // A race with the last unsubscribe: nobody here wanted it; not a loss.
    }
}
