package dev.pushgate.gateway.broker;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-memory layer's positions and history, on a clock of the test's own. */
class InMemoryBrokerTest {
    private static final HistoryPolicy KEEP_3 = new HistoryPolicy(3, Duration.ofSeconds(10));

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final InMemoryBroker broker = new InMemoryBroker(t -> t.startsWith("t") ? KEEP_3 : HistoryPolicy.NONE, clock::get, 2);
    private final List<Long> delivered = new CopyOnWriteArrayList<>();

    InMemoryBrokerTest() {
        broker.start((topic, offset, epoch, data) -> delivered.add(offset));
    }

    @Test
    void historyKeepsTheLastPublicationsAndReplaysAllOrNothing() {
        StreamPosition p = null;
        for (int i = 1; i <= 5; i++) {
            p = publish("t", KEEP_3);
        }
        assertEquals(5, p.offset());
        HistoryResult r = history("t", 2, p.epoch());
        assertTrue(r.complete());
        assertEquals(List.of(3L, 4L, 5L), offsets(r));
        HistoryResult trimmed = history("t", 1, p.epoch());
        assertFalse(trimmed.complete(), "2 is gone: nothing, not a partial replay");
        assertEquals(List.of(), trimmed.publications());
        assertFalse(history("t", 2, "other").complete());
        assertTrue(history("t", 5, p.epoch()).complete());
        assertEquals(List.of(), delivered, "nobody subscribed: published into history only");
    }

    @Test
    void publicationsOlderThanTheTtlAreNotReplayed() {
        StreamPosition p = publish("t", KEEP_3);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(6));
        publish("t", KEEP_3);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(5));
        assertFalse(history("t", 0, p.epoch()).complete(), "offset 1 is older than the ttl");
        assertEquals(List.of(2L), offsets(history("t", 1, p.epoch())));
    }

    @Test
    void anIdleTopicOutlivesItsSubscriberForTheTtlThenStartsAnewEpoch() {
        broker.subscribe("t");
        StreamPosition p = publish("t", KEEP_3);
        assertEquals(List.of(1L), delivered);
        broker.unsubscribe("t");
        clock.addAndGet(TimeUnit.SECONDS.toNanos(9));
        assertEquals(p.epoch(), history("t", -1, null).position().epoch(), "kept for the ttl");
        assertEquals(2, publish("t", KEEP_3).offset(), "publishing without subscribers advances the offset");
        clock.addAndGet(TimeUnit.SECONDS.toNanos(11));
        StreamPosition again = publish("t", KEEP_3);
        assertNotEquals(p.epoch(), again.epoch(), "expired: a new incarnation");
        assertEquals(1, again.offset());
    }

    @Test
    void aTopicWithoutHistoryIsDroppedWithItsLastSubscriber() {
        broker.subscribe("n");
        StreamPosition p = publish("n", HistoryPolicy.NONE);
        broker.unsubscribe("n");
        assertNotEquals(p.epoch(), publish("n", HistoryPolicy.NONE).epoch());
    }

    @Test
    void aTopicSubscribedBeforeItsFirstPublicationKeepsItsEpochWhenIdle() {
        broker.subscribe("t");
        String epoch = history("t", -1, null).position().epoch();
        broker.unsubscribe("t");
        StreamPosition p = publish("t", KEEP_3);
        assertEquals(epoch, p.epoch(), "the position a subscriber was given still holds");
        assertEquals(List.of(1L), offsets(history("t", 0, epoch)));
    }

    @Test
    void theSweepBoundsIdleTopics() {
        for (int i = 0; i < 10; i++) {
            publish("t" + i, KEEP_3);
            clock.addAndGet(1);
        }
        clock.addAndGet(InMemoryBroker.SWEEP_INTERVAL_NANOS);
        publish("last", KEEP_3);
        assertTrue(broker.topicCount() <= 3, "at most 2 idle kept (+ the one just published): " + broker.topicCount());
    }

    private StreamPosition publish(String topic, HistoryPolicy policy) {
        return broker.publish(topic, "1".getBytes(StandardCharsets.UTF_8), policy).toCompletableFuture().join();
    }

    private HistoryResult history(String topic, long since, String epoch) {
        return broker.history(topic, since, epoch, 100).toCompletableFuture().join();
    }

    private static List<Long> offsets(HistoryResult r) {
        return r.publications().stream().map(Publication::offset).toList();
    }
}
