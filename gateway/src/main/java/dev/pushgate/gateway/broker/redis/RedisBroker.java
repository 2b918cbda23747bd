package dev.pushgate.gateway.broker.redis;

import dev.pushgate.gateway.broker.Broker;
import dev.pushgate.gateway.broker.BrokerListener;
import dev.pushgate.gateway.broker.BrokerUnavailableException;
import dev.pushgate.gateway.broker.HistoryPolicy;
import dev.pushgate.gateway.broker.HistoryResult;
import dev.pushgate.gateway.broker.StreamPosition;
import dev.pushgate.gateway.config.GatewayConfig;
import dev.pushgate.protocol.BrokerEnvelope;
import dev.pushgate.protocol.ProtocolException;
import dev.pushgate.protocol.RedisWire;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Redis channel layer: every node that shares one Redis acts as one gateway.
 *
 * <p>Connections come from {@link RedisConnections}. The pub/sub connection holds one channel subscription per topic
 * with local subscribers ({@link RedisSubscriptions}) plus this node's probe channel; its listener runs on lettuce's
 * I/O thread for that connection, decodes each {@link BrokerEnvelope} and hands it to the {@link BrokerListener} in
 * arrival order without blocking. Publishes and history reads are {@link RedisStreams}' (one script each, bounded
 * in flight by {@code redis.max-pending}); commands are rejected while their connection is down and time out after
 * {@code redis.command-timeout}, so they fail fast with {@link BrokerUnavailableException} instead of waiting.
 *
 * <p>Link state: the listener hears {@link BrokerListener#onLinkDown} as soon as the pub/sub connection drops or
 * the liveness probe ({@link RedisLinkProbe}) finds it not delivering (then the socket is dropped to force a
 * reconnect), and {@link BrokerListener#onResubscribed} once every wanted topic is subscribed again. Publishing does
 * not depend on the pub/sub link. Thread-safe.
 */
public final class RedisBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

    private final GatewayConfig.Redis config;
    private final RedisMetrics metrics;
    private final RedisConnections connections;
    private final boolean ownsConnections;
    private final StatefulRedisConnection<String, byte[]> publishing;
    private final StatefulRedisConnection<String, byte[]> reads;
    private final StatefulRedisPubSubConnection<String, byte[]> pubsub;
    private final RedisSubscriptions subscriptions;
    private final RedisLinkProbe probe;
    private final RedisStreams streams;
    private final String channelPrefix;
    private final String probeChannel;
    /** True from a pub/sub loss (or a failed probe) until the resubscribe after it finished. */
    private final AtomicBoolean linkDown = new AtomicBoolean();
    /** A resubscribe not yet reported because the reads connection (which catch-up needs) is not back yet. */
    private final AtomicReference<Set<String>> unreportedResubscribe = new AtomicReference<>();
    private volatile BrokerListener listener;
    private volatile boolean closed;

    /**
     * A broker on {@code connections}, which the caller owns and closes after this broker (and after the presence
     * sharing them). Loads the scripts; fails if Redis cannot be reached.
     */
    public RedisBroker(RedisConnections connections, GatewayConfig.Redis config, RedisMetrics metrics) {
        this(connections, false, config, metrics);
    }

    private RedisBroker(RedisConnections connections, boolean ownsConnections, GatewayConfig.Redis config,
                        RedisMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.connections = connections;
        this.ownsConnections = ownsConnections;
        this.publishing = connections.publishing();
        this.reads = connections.reads();
        this.pubsub = connections.pubsub();
        this.streams = new RedisStreams(publishing, reads, config.prefix(), config.maxPending(), metrics);
        this.channelPrefix = RedisWire.channelPrefix(config.prefix());
        this.probeChannel = RedisWire.probeChannel(config.prefix(), UUID.randomUUID().toString());
        this.subscriptions = new RedisSubscriptions(pubsub, channelPrefix, metrics, this::resubscribed);
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                onMessage(channel, message);
            }
        });
        boolean probing = !config.probeInterval().isZero() && !config.probeInterval().isNegative();
        this.probe = probing ? new RedisLinkProbe(publishing, probeChannel, pubsub::isOpen, config.probeInterval(),
                this::probeFailed) : null;
        connections.addListener(new RedisConnectionWatch(publishing, pubsub, this::pubsubLost,
                this::pubsubBack, metrics, () -> closed));
        connections.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                if (connection == reads) {
                    reportResubscribe();
                }
            }
        });
        if (probe != null) {
            // lettuce subscribes it again after every reconnect (RedisSubscriptions leaves channels it did not make).
            pubsub.sync().subscribe(probeChannel);
            probe.start();
        }
    }

    /**
     * Connects (a {@link RedisConnections} of its own, closed with this broker) and loads the scripts; fails with
     * {@link BrokerUnavailableException} (everything shut down again) when Redis cannot be reached.
     */
    public static RedisBroker connect(GatewayConfig.Redis config, RedisMetrics metrics) {
        RedisConnections connections = RedisConnections.connect(config);
        try {
            return new RedisBroker(connections, true, config, metrics);
        } catch (RuntimeException e) {
            connections.close();
            throw new BrokerUnavailableException("cannot start the redis layer: " + e.getMessage());
        }
    }

    @Override
    public void start(BrokerListener listener) {
        this.listener = listener;
    }

    @Override
    public CompletionStage<Void> subscribe(String topic) {
        return subscriptions.subscribe(topic);
    }

    @Override
    public CompletionStage<Void> unsubscribe(String topic) {
        return subscriptions.unsubscribe(topic);
    }

    @Override
    public CompletionStage<StreamPosition> publish(String topic, byte[] data, HistoryPolicy history) {
        return streams.publish(topic, data, history);
    }

    @Override
    public CompletionStage<HistoryResult> history(String topic, long sinceOffset, String epoch, int limit) {
        return streams.history(topic, sinceOffset, epoch, limit);
    }

    @Override
    public CompletionStage<Void> publishJoin(String topic, byte[] member) {
        return event(topic, BrokerEnvelope.Kind.JOIN, member);
    }

    @Override
    public CompletionStage<Void> publishLeave(String topic, byte[] member) {
        return event(topic, BrokerEnvelope.Kind.LEAVE, member);
    }

    private CompletionStage<Void> event(String topic, BrokerEnvelope.Kind kind, byte[] member) {
        try {
            return publishing.async().publish(RedisWire.channel(config.prefix(), topic),
                    BrokerEnvelope.encodeEvent(kind, member)).handle((receivers, err) -> {
                        if (err != null) {
                            throw new CompletionException(RedisFailures.translate(err));
                        }
                        return null;
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(RedisFailures.translate(e));
        }
    }

    /** On the pub/sub connection's I/O thread, in arrival order: decode and hand over, never block. */
    private void onMessage(String channel, byte[] payload) {
        if (probe != null && channel.equals(probeChannel)) {
            probe.received(payload);
            return;
        }
        BrokerListener l = listener;
        if (l == null || !channel.startsWith(channelPrefix)) {
            return;
        }
        String topic = channel.substring(channelPrefix.length());
        BrokerEnvelope envelope;
        try {
            envelope = BrokerEnvelope.decode(payload);
        } catch (ProtocolException e) {
            metrics.malformed();
            log.debug("dropping malformed redis message: channel={} reason={}", channel, e.getMessage());
            return;
        }
        switch (envelope.kind()) {
            // Unsequenced: a plain PUBLISH, or a layout v1 seq from another counter (a node not yet upgraded).
            case MESSAGE -> l.onPublication(topic, envelope.sequenced() ? envelope.seq() : -1,
                    envelope.sequenced() ? envelope.epoch() : null, envelope.data());
            case JOIN -> l.onJoin(topic, envelope.data());
            case LEAVE -> l.onLeave(topic, envelope.data());
        }
    }

    /** The pub/sub connection dropped (lettuce's I/O thread): the listener starts buffering at once. */
    private void pubsubLost() {
        if (probe != null) {
            probe.reset();
        }
        linkDown();
    }

    /** The pub/sub connection is back: subscribe everything wanted again ({@link #resubscribed} follows). */
    private void pubsubBack() {
        if (probe != null) {
            probe.reset();
        }
        subscriptions.reconnected();
    }

    /** The probe found the link open but not delivering (probe thread): report it, then force a reconnect. */
    private void probeFailed() {
        metrics.probeFailed();
        log.warn("redis pub/sub link not delivering, reconnecting it: timeoutMillis={}",
                config.probeInterval().toMillis() * RedisLinkProbe.TIMEOUT_INTERVALS);
        linkDown();
        if (!connections.dropPubSub()) {
            log.warn("cannot drop the redis pub/sub socket, waiting for lettuce to notice");
        }
    }

    private void linkDown() {
        BrokerListener l = listener;
        if (linkDown.compareAndSet(false, true) && l != null) {
            l.onLinkDown();
        }
    }

    /**
     * Every wanted topic is subscribed again (subscriptions thread). Reported once the reads connection is open too:
     * the listener reads what it missed from history right away.
     */
    private void resubscribed(Set<String> topics) {
        unreportedResubscribe.set(topics);
        if (reads.isOpen()) {
            reportResubscribe();
        }
    }

    private void reportResubscribe() {
        Set<String> topics = unreportedResubscribe.getAndSet(null);
        if (topics == null || !pubsub.isOpen()) {
            return; // lost again meanwhile: the resubscribe after the next reconnect is reported instead
        }
        linkDown.set(false);
        BrokerListener l = listener;
        if (l != null) {
            l.onResubscribed(topics);
        }
    }

    /**
     * Whether this node can publish, read history and deliver: the publishing, reads and pub/sub connections are
     * open and the link is delivering (after a failed probe, once one came back). A resubscribe under way does not
     * count against it (the listener catches up from history), and publishing never waits for this.
     */
    @Override
    public boolean isReady() {
        return !closed && publishing.isOpen() && reads.isOpen() && pubsub.isOpen()
                && (probe == null || probe.delivering());
    }

    @Override
    public String name() {
        return "redis";
    }

    /** Channels Redis confirmed for this node. */
    public int subscribedChannels() {
        return subscriptions.subscribedCount();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (probe != null) {
            probe.close();
        }
        subscriptions.close();
        if (ownsConnections) {
            connections.close();
        }
    }

}
