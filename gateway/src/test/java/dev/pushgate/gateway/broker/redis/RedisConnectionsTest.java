package dev.pushgate.gateway.broker.redis;

import dev.pushgate.gateway.broker.HistoryPolicy;
import dev.pushgate.gateway.broker.StreamPosition;
import dev.pushgate.gateway.config.GatewayConfig;
import dev.pushgate.gateway.presence.PresenceMember;
import dev.pushgate.gateway.testing.RedisServerExtension;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One owner of a node's Redis connections: presence writes have a socket and a bounded queue of their own, so a
 * flood of them cannot make publishes fail; on a shared connection (the layout before) it does.
 */
class RedisConnectionsTest {
    private static final int QUEUE = 8;
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    @Test
    void aPresenceFloodCannotStarvePublishes() throws Exception {
        try (RedisConnections connections = connect()) {
            assertEquals(0, refusedDuringFlood(connections, connections.presence(), QUEUE, false), "publishes refused");
        }
    }

    @Test
    void onASharedConnectionTheSameFloodRefusesPublishes() throws Exception {
        try (RedisConnections connections = connect()) {
            // Redis holds every command for a moment (CLIENT PAUSE), so the flood fills the shared queue by
            // construction, not by the timing of this machine.
            assertTrue(refusedDuringFlood(connections, connections.publishing(), 100 * QUEUE, true) > 0,
                    "the control: presence on the publishing connection fills its queue");
        }
    }

    private static RedisConnections connect() {
        return RedisConnections.connect(new GatewayConfig.Redis(URI.create(REDIS.uri()),
                RedisServerExtension.uniquePrefix("conn"), Duration.ofSeconds(5), QUEUE, Duration.ZERO));
    }

    /** Floods presence writes on {@code presenceConnection} while publishing; answers how many publishes failed. */
    private static int refusedDuringFlood(RedisConnections connections,
                                          StatefulRedisConnection<String, byte[]> presenceConnection,
                                          int presenceInFlight, boolean pauseRedis) throws Exception {
        GatewayConfig.Redis config = new GatewayConfig.Redis(URI.create(REDIS.uri()),
                RedisServerExtension.uniquePrefix("flood"), Duration.ofSeconds(5), QUEUE, Duration.ZERO);
        RedisBroker broker = new RedisBroker(connections, config, RedisMetrics.NONE);
        broker.start(new RecordingListener());
        RedisPresence presence = new RedisPresence(presenceConnection, config.prefix(), Duration.ofMinutes(1),
                Duration.ofSeconds(1), presenceInFlight);
        if (pauseRedis) {
            REDIS.redis().clientPause(1500);
        }
        CountDownLatch flooding = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        // The flood lasts as long as the publishing below (bounded by count), however fast this machine is.
        Thread flood = new Thread(() -> {
            for (int i = 0; i < 2_000_000 && !stop.get(); i++) {
                presence.add("room." + i, new PresenceMember("c-" + i, "n1", null));
                if (i == 500) {
                    flooding.countDown();
                }
            }
        });
        flood.start();
        assertTrue(flooding.await(10, TimeUnit.SECONDS));
        List<CompletableFuture<StreamPosition>> sent = new ArrayList<>();
        for (int i = 0; i < 200 && flood.isAlive(); i++) {
            // One at a time, so the broker's own bound (QUEUE in flight) is never what refuses them.
            CompletableFuture<StreamPosition> f = broker.publish("news.x", "1".getBytes(StandardCharsets.UTF_8),
                    HistoryPolicy.NONE).toCompletableFuture();
            sent.add(f);
            try {
                f.get(5, TimeUnit.SECONDS);
            } catch (ExecutionException refused) {
                // counted below
            }
        }
        stop.set(true);
        flood.join();
        int refused = 0;
        for (CompletableFuture<StreamPosition> f : sent) {
            refused += f.isCompletedExceptionally() ? 1 : 0;
        }
        assertTrue(sent.size() >= 10, "published during the flood: " + sent.size());
        presence.close();
        broker.close();
        return refused;
    }
}
