package dev.pushgate.gateway.broker.redis;

import dev.pushgate.gateway.broker.HistoryPolicy;
import dev.pushgate.gateway.broker.HistoryResult;
import dev.pushgate.gateway.broker.Publication;
import dev.pushgate.gateway.broker.StreamPosition;
import dev.pushgate.gateway.config.GatewayConfig;
import dev.pushgate.gateway.testing.RedisServerExtension;
import dev.pushgate.protocol.RedisWire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** History in Redis through the broker: positions, replay, trimming, expiry and the envelopes the listener gets. */
class RedisBrokerHistoryTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HistoryPolicy KEEP_100 = new HistoryPolicy(100, Duration.ofMinutes(1));
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private final RecordingListener listener = new RecordingListener();
    private String prefix;
    private RedisBroker broker;

    @BeforeEach
    void start() {
        prefix = RedisServerExtension.uniquePrefix("history");
        broker = RedisBroker.connect(new GatewayConfig.Redis(URI.create(REDIS.uri()), prefix, Duration.ofSeconds(2),
                1000), RedisMetrics.NONE);
        broker.start(listener);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void publishedHistoryComesBackInOrderWithItsPosition() throws Exception {
        HistoryResult before = history("h.topic", -1, null, 10);
        assertEquals(0, before.position().offset(), "a topic never published is at offset 0");
        String epoch = before.position().epoch();
        assertTrue(before.complete());

        broker.subscribe("h.topic").toCompletableFuture().get(5, TimeUnit.SECONDS);
        for (int i = 1; i <= 20; i++) {
            StreamPosition p = publish("h.topic", "{\"n\":" + i + "}", KEEP_100);
            assertEquals(new StreamPosition(i, epoch), p, "the epoch told before the first publish stays");
        }
        for (int i = 1; i <= 20; i++) {
            RecordingListener.Event e = listener.next(WAIT, "publication");
            assertEquals(i, e.offset());
            assertEquals(epoch, e.epoch());
            assertEquals("{\"n\":" + i + "}", e.data());
        }

        HistoryResult all = history("h.topic", 0, epoch, 100);
        assertTrue(all.complete());
        assertEquals(new StreamPosition(20, epoch), all.position());
        assertEquals(LongStream.rangeClosed(1, 20).boxed().toList(), offsets(all));
        assertEquals("{\"n\":7}", new String(all.publications().get(6).data(), StandardCharsets.UTF_8));

        assertEquals(List.of(16L, 17L, 18L, 19L, 20L), offsets(history("h.topic", 15, epoch, 100)));
        HistoryResult page = history("h.topic", 15, epoch, 3);
        assertTrue(page.complete(), "complete up to the limit");
        assertEquals(List.of(16L, 17L, 18L), offsets(page));
        HistoryResult upToDate = history("h.topic", 20, epoch, 100);
        assertTrue(upToDate.complete());
        assertEquals(List.of(), upToDate.publications());
        HistoryResult anyEpoch = history("h.topic", 18, null, 100);
        assertTrue(anyEpoch.complete());
        assertEquals(List.of(19L, 20L), offsets(anyEpoch));

        HistoryResult otherEpoch = history("h.topic", 10, "not-" + epoch, 100);
        assertFalse(otherEpoch.complete());
        assertEquals(List.of(), otherEpoch.publications(), "never a replay from another epoch");
        assertEquals(new StreamPosition(20, epoch), otherEpoch.position());
        assertFalse(history("h.topic", 25, epoch, 100).complete(), "an offset beyond the current one");
    }

    @Test
    void trimmedHistoryIsIncompleteNeverPartial() throws Exception {
        HistoryPolicy keep5 = new HistoryPolicy(5, Duration.ofMinutes(1));
        String epoch = null;
        for (int i = 1; i <= 12; i++) {
            epoch = publish("h.trim", Integer.toString(i), keep5).epoch();
        }
        assertEquals(5, REDIS.redis().xlen(RedisWire.streamKey(prefix, "h.trim")), "MAXLEN keeps the last 5");
        HistoryResult trimmed = history("h.trim", 2, epoch, 100);
        assertFalse(trimmed.complete());
        assertEquals(List.of(), trimmed.publications());
        assertEquals(12, trimmed.position().offset());
        assertFalse(history("h.trim", 6, epoch, 100).complete(), "7 was trimmed");
        assertEquals(List.of(8L, 9L, 10L, 11L, 12L), offsets(history("h.trim", 7, epoch, 100)));
    }

    @Test
    void withoutHistoryPublicationsAreSequencedButNotReplayed() throws Exception {
        for (int i = 1; i <= 3; i++) {
            assertEquals(i, publish("h.none", "1", HistoryPolicy.NONE).offset());
        }
        assertEquals(0, REDIS.redis().exists(RedisWire.streamKey(prefix, "h.none")));
        HistoryResult r = history("h.none", 1, null, 10);
        assertFalse(r.complete());
        assertEquals(3, r.position().offset());
        assertTrue(history("h.none", 3, null, 10).complete(), "nothing missed, nothing to replay");
    }

    @Test
    void historyExpiresAfterItsTtlWhileThePositionStays() throws Exception {
        HistoryPolicy brief = new HistoryPolicy(10, Duration.ofMillis(300));
        String epoch = publish("h.ttl", "1", brief).epoch();
        publish("h.ttl", "2", brief);
        long ttl = REDIS.redis().pttl(RedisWire.streamKey(prefix, "h.ttl"));
        assertTrue(ttl > 0 && ttl <= 300, "the stream expires history-ttl after the last publish: " + ttl);
        assertTrue(REDIS.redis().pttl(RedisWire.metaKey(prefix, "h.ttl")) > 300_000, "the position lives on");
        dev.pushgate.gateway.testing.Await.until(WAIT,
                () -> REDIS.redis().exists(RedisWire.streamKey(prefix, "h.ttl")) == 0, () -> "stream still there");
        assertTrue(history("h.ttl", 2, epoch, 10).complete(), "a subscriber that saw everything lost nothing");
        assertFalse(history("h.ttl", 1, epoch, 10).complete(), "2 expired with the stream");
        assertEquals(new StreamPosition(3, epoch), publish("h.ttl", "3", brief), "same epoch, next offset");
    }

    @Test
    void aLostMetaStartsANewEpochAndDropsTheOldStream() throws Exception {
        String first = publish("h.lost", "1", KEEP_100).epoch();
        publish("h.lost", "2", KEEP_100);
        REDIS.redis().del(RedisWire.metaKey(prefix, "h.lost")); // as if expired or lost in a restart
        StreamPosition p = publish("h.lost", "3", KEEP_100);
        assertEquals(1, p.offset());
        assertNotEquals(first, p.epoch());
        assertFalse(history("h.lost", 1, first, 10).complete());
        HistoryResult fresh = history("h.lost", 0, p.epoch(), 10);
        assertTrue(fresh.complete());
        assertEquals(List.of(1L), offsets(fresh), "the old epoch's entries are gone");
        assertEquals("3", new String(fresh.publications().get(0).data(), StandardCharsets.UTF_8));
    }

    @Test
    void plainAndLayoutV1EnvelopesArriveUnsequenced() throws Exception {
        broker.subscribe("h.plain").toCompletableFuture().get(5, TimeUnit.SECONDS);
        String channel = RedisWire.channel(prefix, "h.plain");
        REDIS.redis().publish(channel, "{\"data\":{\"plain\":true}}");
        REDIS.redis().publish(channel, "{\"seq\":41,\"data\":{\"v1\":true}}");
        RecordingListener.Event plain = listener.next(WAIT, "publication");
        assertEquals(-1, plain.offset());
        assertNull(plain.epoch());
        assertEquals("{\"plain\":true}", plain.data());
        RecordingListener.Event v1 = listener.next(WAIT, "publication");
        assertEquals(-1, v1.offset(), "a v1 seq comes from another counter");
        assertNull(v1.epoch());
        StreamPosition p = publish("h.plain", "1", KEEP_100);
        RecordingListener.Event sequenced = listener.next(WAIT, "publication");
        assertEquals(p.offset(), sequenced.offset());
        assertEquals(p.epoch(), sequenced.epoch());
    }

    private StreamPosition publish(String topic, String data, HistoryPolicy policy) throws Exception {
        return broker.publish(topic, data.getBytes(StandardCharsets.UTF_8), policy).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    private HistoryResult history(String topic, long since, String epoch, int limit) throws Exception {
        return broker.history(topic, since, epoch, limit).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static List<Long> offsets(HistoryResult r) {
        return r.publications().stream().map(Publication::offset).toList();
    }
}
