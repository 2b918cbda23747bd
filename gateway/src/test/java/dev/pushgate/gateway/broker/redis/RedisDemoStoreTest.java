package dev.pushgate.gateway.broker.redis;

import dev.pushgate.gateway.config.GatewayConfig;
import dev.pushgate.gateway.demo.DemoStore;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RedisDemoStoreTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final List<String> IDS = List.of("1", "2");

    @Test
    void votesAreCountedInOneHashUnderThePrefix() throws Exception {
        String prefix = RedisServerExtension.uniquePrefix("demo");
        try (RedisConnections connections = connect(prefix)) {
            DemoStore store = new RedisDemoStore(connections, prefix);
            assertEquals(new DemoStore.Tally(0, Map.of("1", 0L, "2", 0L)), get(store.tally("p", IDS)));
            get(store.vote("p", "2", IDS));
            assertEquals(new DemoStore.Tally(2, Map.of("1", 0L, "2", 2L)), get(store.vote("p", "2", IDS)));
            assertEquals(Map.of("2", "2", "_version", "2"), REDIS.redis().hgetall(prefix + "demo:vote:p"));
        }
    }

    @Test
    void aLeaseHasOneHolderUntilItStopsRenewing() throws Exception {
        String prefix = RedisServerExtension.uniquePrefix("lease");
        Duration ttl = Duration.ofMillis(300);
        try (RedisConnections connections = connect(prefix)) {
            DemoStore store = new RedisDemoStore(connections, prefix);
            assertEquals("gw-a", get(store.lease("tail", "gw-a", ttl)));
            assertEquals("gw-a", get(store.lease("tail", "gw-b", ttl)));
            assertEquals("gw-a", get(store.lease("tail", "gw-a", ttl)), "the holder renews");
            Await.until(Duration.ofSeconds(5), () -> "gw-b".equals(get(store.lease("tail", "gw-b", ttl))),
                    () -> "gw-b takes over once gw-a stops renewing");
            assertEquals("gw-b", get(store.lease("tail", "gw-a", ttl)));
        }
    }

    private static <T> T get(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static RedisConnections connect(String prefix) {
        return RedisConnections.connect(new GatewayConfig.Redis(URI.create(REDIS.uri()), prefix,
                Duration.ofSeconds(5), 1000, Duration.ZERO));
    }
}
