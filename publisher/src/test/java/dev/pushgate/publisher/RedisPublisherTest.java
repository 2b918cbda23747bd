package dev.pushgate.publisher;

import dev.pushgate.protocol.BrokerEnvelope;
import dev.pushgate.protocol.RedisWire;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java publisher against a real Redis, read back the way a gateway node reads its channels. */
class RedisPublisherTest {
    private static RedisServer server;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> redis;
    private static StatefulRedisPubSubConnection<String, String> subscriber;
    private static final BlockingQueue<String[]> RECEIVED = new LinkedBlockingQueue<>();
    private static String uri;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").build();
        server.start();
        uri = "redis://127.0.0.1:" + port;
        client = RedisClient.create(uri);
        redis = client.connect();
        subscriber = client.connectPubSub();
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                RECEIVED.add(new String[] {channel, message});
            }
        });
        subscriber.sync().subscribe(RedisWire.channel("pub:", "news.sports"), RedisWire.channel("pub:", "news.raw"));
    }

    @AfterAll
    static void stop() throws Exception {
        subscriber.close();
        redis.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        server.stop();
    }

    @Test
    void publishesSequencedEnvelopesOnTheTopicChannel() throws Exception {
        try (RedisPublisher publisher = RedisPublisher.connect(uri, "pub:", Duration.ofSeconds(2))) {
            for (int i = 1; i <= 3; i++) {
                long seq = publisher.publish("news.sports", "{\"score\":\"" + i + "-0\"}")
                        .toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertEquals(i, seq);
                String[] m = next();
                assertEquals("pub:topic:news.sports", m[0]);
                assertEquals("{\"seq\":" + i + ",\"data\":{\"score\":\"" + i + "-0\"}}", m[1]);
                BrokerEnvelope e = BrokerEnvelope.decode(m[1].getBytes(StandardCharsets.UTF_8));
                assertEquals(i, e.seq());
            }
            assertTrue(redis.sync().ttl("pub:seq:news.sports") > 0, "the counter expires when idle");

            redis.sync().scriptFlush(); // as after a Redis restart: NOSCRIPT, then the script is sent again
            assertEquals(4L, publisher.publish("news.sports", "4").toCompletableFuture().get(5, TimeUnit.SECONDS));
            assertEquals("{\"seq\":4,\"data\":4}", next()[1]);
        }
    }

    @Test
    void publishesUnsequencedEnvelopes() throws Exception {
        try (RedisPublisher publisher = RedisPublisher.connect(uri, "pub:", Duration.ofSeconds(2))) {
            long receivers = publisher.publishUnsequenced("news.raw", "[1,2]")
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(1, receivers);
            String[] m = next();
            assertEquals("pub:topic:news.raw", m[0]);
            assertEquals("{\"data\":[1,2]}", m[1]);
        }
    }

    @Test
    void refusesBadTopicsAndData() {
        try (RedisPublisher publisher = RedisPublisher.connect(uri, "pub:", Duration.ofSeconds(2))) {
            assertThrows(IllegalArgumentException.class, () -> publisher.publish("bad topic", "1"));
            assertThrows(IllegalArgumentException.class, () -> publisher.publish("news.x", "{\"a\":"));
            assertThrows(IllegalArgumentException.class, () -> publisher.publish("news.x", "1 2"));
            assertThrows(IllegalArgumentException.class, () -> publisher.publishUnsequenced("news.x", ""));
        }
    }

    private static String[] next() throws InterruptedException {
        String[] m = RECEIVED.poll(5, TimeUnit.SECONDS);
        assertNotNull(m, "no message within 5 s");
        return m;
    }
}
