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
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Redis channel layer: every node that shares one Redis acts as one gateway.
 *
 * <p>Two connections: the pub/sub connection holds one channel subscription per topic with local subscribers
 * ({@link RedisSubscriptions}); its listener runs on lettuce's single I/O thread for that connection, decodes each
 * {@link BrokerEnvelope} and hands it to the {@link BrokerListener} in arrival order without blocking. The command
 * connection publishes through the sequencing script ({@link RedisWire#PUBLISH_SCRIPT}), sends presence events and
 * serves {@link RedisPresence}; its request queue is bounded ({@code redis.max-pending}, and publishes in flight
 * are counted against the same bound before they reach it), commands are rejected while it is disconnected and time
 * out after {@code redis.command-timeout}, so a publish fails fast with {@link BrokerUnavailableException} instead of
 * waiting. Both reconnect by themselves; {@link RedisConnectionWatch}
 * counts the outages and triggers the resubscribe. Thread-safe.
 */
public final class RedisBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
    private static final String LETTUCE_IO_URING = "io.lettuce.core.iouring";
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final GatewayConfig.Redis config;
    private final RedisMetrics metrics;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> commands;
    private final StatefulRedisPubSubConnection<String, byte[]> pubsub;
    private final RedisSubscriptions subscriptions;
    private final RedisScript publishScript = new RedisScript(RedisWire.PUBLISH_SCRIPT);
    private final String channelPrefix;
    private final byte[] sequenceTtl = Long.toString(RedisWire.SEQUENCE_TTL_SECONDS).getBytes(StandardCharsets.US_ASCII);
    private final AtomicInteger pendingPublishes = new AtomicInteger();
    private volatile BrokerListener listener;
    private volatile boolean closed;

    private RedisBroker(GatewayConfig.Redis config, RedisMetrics metrics, ClientResources resources,
                        RedisClient client) {
        this.config = config;
        this.metrics = metrics;
        this.resources = resources;
        this.client = client;
        this.channelPrefix = RedisWire.channelPrefix(config.prefix());
        this.commands = client.connect(CODEC);
        this.pubsub = client.connectPubSub(CODEC);
        this.subscriptions = new RedisSubscriptions(pubsub, channelPrefix, metrics, topics -> {
            BrokerListener l = listener;
            if (l != null) {
                l.onResubscribed(topics);
            }
        });
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                onMessage(channel, message);
            }
        });
        client.addListener(new RedisConnectionWatch(commands, pubsub, subscriptions::reconnected, metrics,
                () -> closed));
        String loaded = commands.sync().scriptLoad(publishScript.text());
        if (!publishScript.sha().equals(loaded)) {
            throw new IllegalStateException("redis answered an unexpected script sha: " + loaded);
        }
    }

    /**
     * Connects both connections and loads the publish script; fails (with the client shut down again) when Redis
     * cannot be reached, so a node does not start half-connected.
     */
    public static RedisBroker connect(GatewayConfig.Redis config, RedisMetrics metrics) {
        // Two Redis sockets need no io_uring; choosing epoll up front spares lettuce's "both available" warning.
        if (System.getProperty(LETTUCE_IO_URING) == null) {
            System.setProperty(LETTUCE_IO_URING, "false");
        }
        ClientResources resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(1)
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .reconnectDelay(Delay.equalJitter(Duration.ofMillis(50), Duration.ofSeconds(2), 100,
                        TimeUnit.MILLISECONDS))
                .build();
        RedisURI uri = RedisURI.create(config.uri());
        uri.setTimeout(config.commandTimeout());
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(config.maxPending())
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(config.commandTimeout()).keepAlive(true)
                        .tcpNoDelay(true).build())
                .build());
        try {
            return new RedisBroker(config, metrics, resources, client);
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            throw new BrokerUnavailableException("cannot connect to redis at " + uri.getHost() + ":" + uri.getPort()
                    + ": " + e.getMessage());
        }
    }

    /** Presence stored in this Redis, refreshed by this node; close it before the broker. */
    public RedisPresence presence(Duration ttl) {
        return new RedisPresence(commands, config.prefix(), ttl, config.commandTimeout());
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
        if (!commands.isOpen()) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException("redis unavailable"));
        }
        if (pendingPublishes.incrementAndGet() > config.maxPending()) {
            // Refused here rather than by lettuce's queue of the same size, which logs every refusal at WARN.
            pendingPublishes.decrementAndGet();
            return CompletableFuture.failedFuture(new BrokerUnavailableException("redis publish queue full"));
        }
        long start = System.nanoTime();
        byte[] channel = RedisWire.channel(config.prefix(), topic).getBytes(StandardCharsets.UTF_8);
        CompletionStage<Long> sent = publishScript.run(commands.async(), ScriptOutputType.INTEGER,
                new String[] {RedisWire.sequenceKey(config.prefix(), topic)}, channel, data, sequenceTtl);
        return sent.handle((seq, err) -> {
            pendingPublishes.decrementAndGet();
            metrics.command(System.nanoTime() - start);
            if (err != null) {
                throw new CompletionException(RedisFailures.translate(err));
            }
            return new StreamPosition(seq, "");
        });
    }

    @Override
    public CompletionStage<HistoryResult> history(String topic, long sinceOffset, String epoch, int limit) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("history on redis"));
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
            return commands.async().publish(RedisWire.channel(config.prefix(), topic),
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
            case MESSAGE -> l.onPublication(topic, envelope.seq(), null, envelope.data());
            case JOIN -> l.onJoin(topic, envelope.data());
            case LEAVE -> l.onLeave(topic, envelope.data());
        }
    }

    @Override
    public boolean isReady() {
        return !closed && commands.isOpen() && pubsub.isOpen() && !subscriptions.resyncing();
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
        subscriptions.close();
        pubsub.close();
        commands.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
