package dev.pushgate.gateway.broker.redis;

import dev.pushgate.gateway.broker.BrokerUnavailableException;
import dev.pushgate.gateway.config.GatewayConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Delegating;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.DefaultEndpoint;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The one owner of a node's Redis connections, handed to both {@link RedisBroker} and {@link RedisPresence}. Four
 * sockets, each with its own bounded request queue ({@code redis.max-pending}), so no kind of traffic can starve
 * another: {@link #publishing()} (publishes, presence events, liveness probes), {@link #reads()} (history reads,
 * which a catch-up after a reconnect sends for every topic at once), {@link #presence()} (presence writes, refreshes
 * and lists) and {@link #pubsub()} (channel subscriptions). Every connection rejects commands while disconnected,
 * times them out after {@code redis.command-timeout} and reconnects by itself. Thread-safe.
 */
public final class RedisConnections implements AutoCloseable {
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final String LETTUCE_IO_URING = "io.lettuce.core.iouring";

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> publishing;
    private final StatefulRedisConnection<String, byte[]> reads;
    private final StatefulRedisConnection<String, byte[]> presence;
    private final StatefulRedisPubSubConnection<String, byte[]> pubsub;
    private final int maxPending;

    private RedisConnections(ClientResources resources, RedisClient client, int maxPending) {
        this.resources = resources;
        this.client = client;
        this.maxPending = maxPending;
        this.publishing = client.connect(CODEC);
        this.reads = client.connect(CODEC);
        this.presence = client.connect(CODEC);
        this.pubsub = client.connectPubSub(CODEC);
    }

    /**
     * Opens the four connections; fails with {@link BrokerUnavailableException} (everything shut down again) when
     * Redis cannot be reached, so a node does not start half-connected.
     */
    public static RedisConnections connect(GatewayConfig.Redis config) {
        // A few Redis sockets need no io_uring; choosing epoll up front spares lettuce's "both available" warning.
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
            return new RedisConnections(resources, client, config.maxPending());
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            throw new BrokerUnavailableException("cannot connect to redis at " + uri.getHost() + ":" + uri.getPort()
                    + ": " + e.getMessage());
        }
    }

    /** Publishes, presence events and liveness probes. */
    StatefulRedisConnection<String, byte[]> publishing() {
        return publishing;
    }

    /** History reads. */
    StatefulRedisConnection<String, byte[]> reads() {
        return reads;
    }

    /** Presence writes, refreshes and lists. */
    StatefulRedisConnection<String, byte[]> presence() {
        return presence;
    }

    /** Channel subscriptions. */
    StatefulRedisPubSubConnection<String, byte[]> pubsub() {
        return pubsub;
    }

    /** The bound of every connection's request queue ({@code redis.max-pending}). */
    int maxPending() {
        return maxPending;
    }

    /** Watches connects and disconnects of every connection (called on lettuce's I/O threads). */
    void addListener(RedisConnectionStateListener listener) {
        client.addListener(listener);
    }

    /**
     * Drops the pub/sub socket so lettuce reconnects and resubscribes it: for a link that is open but no longer
     * delivering. Returns false if lettuce's connection offers no socket to drop.
     */
    boolean dropPubSub() {
        RedisChannelWriter writer = ((RedisChannelHandler<?, ?>) pubsub).getChannelWriter();
        while (writer instanceof Delegating<?> d && d.getDelegate() instanceof RedisChannelWriter inner) {
            writer = inner;
        }
        if (writer instanceof DefaultEndpoint endpoint) {
            endpoint.disconnect();
            return true;
        }
        return false;
    }

    /** Closes every connection and the client. */
    @Override
    public void close() {
        pubsub.close();
        presence.close();
        reads.close();
        publishing.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
