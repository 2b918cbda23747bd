package dev.pushgate.gateway.broker.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Watches the publishing and pub/sub connections: the first one lost starts an outage (counted, logged at WARN), both
 * back ends it (logged at INFO with its length). The pub/sub connection's loss is reported at once ({@code
 * pubsubDown}: the hub starts buffering) and its return asks for a resubscribe ({@code pubsubBack}). The other
 * connections (reads, presence) reconnect by themselves and are not watched. Lettuce calls this on its I/O threads
 * after a connection is activated or lost; it only flips atomics and hands work on.
 */
final class RedisConnectionWatch implements RedisConnectionStateListener {
    private static final Logger log = LoggerFactory.getLogger(RedisConnectionWatch.class);

    private final StatefulConnection<?, ?> publishing;
    private final StatefulConnection<?, ?> pubsub;
    private final Runnable pubsubDown;
    private final Runnable pubsubBack;
    private final RedisMetrics metrics;
    private final BooleanSupplier closing;
    /** {@link System#nanoTime()} when the current outage began, or 0 while both connections are up. */
    private final AtomicLong downSince = new AtomicLong();

    RedisConnectionWatch(StatefulConnection<?, ?> publishing, StatefulConnection<?, ?> pubsub, Runnable pubsubDown,
                         Runnable pubsubBack, RedisMetrics metrics, BooleanSupplier closing) {
        this.publishing = publishing;
        this.pubsub = pubsub;
        this.pubsubDown = pubsubDown;
        this.pubsubBack = pubsubBack;
        this.metrics = metrics;
        this.closing = closing;
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        String name = name(connection);
        if (name == null || closing.getAsBoolean()) {
            return;
        }
        if (connection == pubsub) {
            pubsubDown.run();
        }
        if (downSince.compareAndSet(0, Math.max(1, System.nanoTime()))) {
            metrics.outage();
            log.warn(connection == pubsub
                    ? "redis connection lost, catching up from history when it returns: connection={}"
                    : "redis connection lost, publishing refused until it returns: connection={}", name);
        } else {
            log.debug("redis connection lost: connection={}", name);
        }
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        String name = name(connection);
        if (name == null || closing.getAsBoolean()) {
            return;
        }
        if (connection == pubsub) {
            pubsubBack.run();
        }
        if (publishing.isOpen() && pubsub.isOpen()) {
            long since = downSince.getAndSet(0);
            if (since != 0) {
                log.info("redis connection restored: address={} downMillis={}", address,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
            }
        }
    }

    private String name(RedisChannelHandler<?, ?> connection) {
        if (connection == pubsub) {
            return "pubsub";
        }
        return connection == publishing ? "publishing" : null;
    }
}
