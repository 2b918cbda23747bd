package dev.pushgate.publisher;

import dev.pushgate.protocol.BrokerEnvelope;
import dev.pushgate.protocol.RedisWire;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
            String epoch = null;
            for (int i = 1; i <= 3; i++) {
                Position p = publisher.publish("news.sports", "{\"score\":\"" + i + "-0\"}")
                        .toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertEquals(i, p.offset());
                epoch = epoch == null ? p.epoch() : epoch;
                assertEquals(epoch, p.epoch(), "one epoch while the topic's meta lives");
                String[] m = next();
                assertEquals("pub:topic:news.sports", m[0]);
                assertEquals("{\"seq\":" + i + ",\"epoch\":\"" + epoch + "\",\"data\":{\"score\":\"" + i
                        + "-0\"}}", m[1]);
                BrokerEnvelope e = BrokerEnvelope.decode(m[1].getBytes(StandardCharsets.UTF_8));
                assertEquals(i, e.seq());
                assertEquals(epoch, e.epoch());
            }
            assertTrue(redis.sync().ttl("pub:v2:{news.sports}:meta") > 0, "the position expires when idle");
            assertEquals(0, redis.sync().exists("pub:v2:{news.sports}:stream"), "no history asked for, none kept");

            redis.sync().scriptFlush(); // as after a Redis restart: NOSCRIPT, then the script is sent again
            assertEquals(new Position(4, epoch),
                    publisher.publish("news.sports", "4").toCompletableFuture().get(5, TimeUnit.SECONDS));
            assertEquals("{\"seq\":4,\"epoch\":\"" + epoch + "\",\"data\":4}", next()[1]);
        }
    }

    @Test
    void keepsBoundedHistoryInTheTopicStreamAndStartsANewEpochWhenItIsLost() throws Exception {
        String meta = RedisWire.metaKey("pub:", "news.hist");
        String stream = RedisWire.streamKey("pub:", "news.hist");
        try (RedisPublisher publisher = RedisPublisher.connect(uri, "pub:", Duration.ofSeconds(2))) {
            Position last = null;
            for (int i = 1; i <= 5; i++) {
                last = publisher.publish("news.hist", "{\"n\":" + i + "}", 3, Duration.ofMinutes(1))
                        .toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
            assertEquals(5, last.offset());
            List<StreamMessage<String, String>> entries = redis.sync().xrange(stream, Range.create("-", "+"));
            assertEquals(List.of("3-0", "4-0", "5-0"), entries.stream().map(StreamMessage::getId).toList(),
                    "entry ids are offsets, trimmed to the history size");
            assertEquals(Map.of("d", "{\"n\":5}"), entries.get(2).getBody());
            long streamTtl = redis.sync().pttl(stream);
            assertTrue(streamTtl > 0 && streamTtl <= 60_000, "the stream lives history-ttl: " + streamTtl);
            assertTrue(redis.sync().pttl(meta) > 60_000, "the position outlives the history");

            // The history script, as a backend would call it: epoch, offset, then id/data pairs after since.
            List<Object> reply = redis.sync().eval(RedisWire.HISTORY_SCRIPT, ScriptOutputType.MULTI,
                    new String[] {meta, stream}, "3", "10", Long.toString(RedisWire.META_TTL_MILLIS));
            assertEquals(List.of(last.epoch(), 5L, "4-0", "{\"n\":4}", "5-0", "{\"n\":5}"), reply);

            redis.sync().del(meta); // history lost (expired, or a restart without persistence)
            Position fresh = publisher.publish("news.hist", "6", 3, Duration.ofMinutes(1))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(1, fresh.offset());
            assertNotEquals(last.epoch(), fresh.epoch());
            assertEquals(List.of("1-0"), redis.sync().xrange(stream, Range.create("-", "+")).stream()
                    .map(StreamMessage::getId).toList(), "a new epoch starts a new stream");
        }
    }

    @Test
    void aBackendMayKeepThePositionForever() {
        String[] keys = {RedisWire.metaKey("pub:", "news.forever"), RedisWire.streamKey("pub:", "news.forever")};
        List<Object> first = redis.sync().eval(RedisWire.PUBLISH_SCRIPT, ScriptOutputType.MULTI, keys,
                RedisWire.channel("pub:", "news.forever"), "1", "0", "0", "0");
        List<Object> second = redis.sync().eval(RedisWire.PUBLISH_SCRIPT, ScriptOutputType.MULTI, keys,
                RedisWire.channel("pub:", "news.forever"), "2", "0", "0", "0");
        assertEquals(List.of(1L, first.get(1)), first);
        assertEquals(List.of(2L, first.get(1)), second, "meta ttl 0 keeps the epoch (it does not expire the key)");
        assertEquals(-1, redis.sync().pttl(keys[0]), "no expiry");
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
            assertThrows(IllegalArgumentException.class,
                    () -> publisher.publish("news.x", "1", -1, Duration.ofSeconds(1)));
        }
    }

    private static String[] next() throws InterruptedException {
        String[] m = RECEIVED.poll(5, TimeUnit.SECONDS);
        assertNotNull(m, "no message within 5 s");
        return m;
    }
}
