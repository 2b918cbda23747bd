package dev.pushgate.gateway.broker.redis;

import dev.pushgate.gateway.broker.BrokerUnavailableException;
import dev.pushgate.gateway.broker.HistoryPolicy;
import dev.pushgate.gateway.broker.HistoryResult;
import dev.pushgate.gateway.broker.Publication;
import dev.pushgate.gateway.broker.StreamPosition;
import dev.pushgate.gateway.config.GatewayConfig;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.RedisServerExtension;
import dev.pushgate.gateway.testing.StallingProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pub/sub link and what survives Redis going away: link-down and resubscribe events, epochs across restarts
 * with and without persistence, the liveness probe on a stalled link, and publishing that never waits for the link.
 */
class RedisBrokerLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final HistoryPolicy KEEP = new HistoryPolicy(100, Duration.ofMinutes(5));
    @RegisterExtension
    static final RedisServerExtension PLAIN = new RedisServerExtension();
    @RegisterExtension
    static final RedisServerExtension AOF = RedisServerExtension.withAppendOnlyFile();

    private static RedisBroker broker(String uri, String prefix, Duration probe, RedisMetrics metrics,
                                      RecordingListener listener) {
        RedisBroker b = RedisBroker.connect(new GatewayConfig.Redis(URI.create(uri), prefix, Duration.ofSeconds(2),
                1000, probe), metrics);
        b.start(listener);
        return b;
    }

    @Test
    void aRestartWithoutPersistenceStartsANewEpoch() throws Exception {
        RecordingListener listener = new RecordingListener();
        try (RedisBroker broker = broker(PLAIN.uri(), RedisServerExtension.uniquePrefix("plain"),
                Duration.ofSeconds(2), RedisMetrics.NONE, listener)) {
            broker.subscribe("r.topic").toCompletableFuture().get(5, TimeUnit.SECONDS);
            String epoch = null;
            for (int i = 1; i <= 3; i++) {
                epoch = publish(broker, "r.topic", i).epoch();
            }
            PLAIN.stop();
            listener.next(WAIT, "down");
            ExecutionException refused = assertThrows(ExecutionException.class, () -> publish(broker, "r.topic", 4));
            assertTrue(refused.getCause() instanceof BrokerUnavailableException, refused.getCause().toString());
            PLAIN.start();
            RecordingListener.Event back = listener.next(WAIT, "resubscribed");
            assertTrue(back.topics().contains("r.topic"), back.toString());
            Await.until(WAIT, broker::isReady, () -> "broker not ready after the restart");

            HistoryResult after = history(broker, "r.topic", 3, epoch);
            assertFalse(after.complete(), "the history is gone with the data");
            assertNotEquals(epoch, after.position().epoch(), "so the epoch changed");
            StreamPosition p = publish(broker, "r.topic", 5);
            assertEquals(new StreamPosition(1, after.position().epoch()), p);
        }
    }

    @Test
    void aRestartWithAnAppendOnlyFileKeepsTheEpochAndTheHistory() throws Exception {
        RecordingListener listener = new RecordingListener();
        try (RedisBroker broker = broker(AOF.uri(), RedisServerExtension.uniquePrefix("aof"), Duration.ofSeconds(2),
                RedisMetrics.NONE, listener)) {
            broker.subscribe("r.topic").toCompletableFuture().get(5, TimeUnit.SECONDS);
            String epoch = null;
            for (int i = 1; i <= 3; i++) {
                epoch = publish(broker, "r.topic", i).epoch();
            }
            AOF.stop();
            listener.next(WAIT, "down");
            AOF.start();
            listener.next(WAIT, "resubscribed");
            Await.until(WAIT, broker::isReady, () -> "broker not ready after the restart");

            HistoryResult kept = history(broker, "r.topic", 0, epoch);
            assertTrue(kept.complete());
            assertEquals(new StreamPosition(3, epoch), kept.position());
            assertEquals(List.of(1L, 2L, 3L), kept.publications().stream().map(Publication::offset).toList());
            assertEquals(new StreamPosition(4, epoch), publish(broker, "r.topic", 4));
        }
    }

    @Test
    void aKilledPubSubConnectionIsReportedAndPublishingGoesOn() throws Exception {
        RecordingListener listener = new RecordingListener();
        CompletableFuture<StreamPosition> duringOutage = new CompletableFuture<>();
        try (RedisBroker broker = broker(PLAIN.uri(), RedisServerExtension.uniquePrefix("kill"),
                Duration.ofSeconds(2), RedisMetrics.NONE, listener)) {
            broker.subscribe("k.topic").toCompletableFuture().get(5, TimeUnit.SECONDS);
            StreamPosition first = publish(broker, "k.topic", 1);
            listener.next(WAIT, "publication");
            // Published from inside onLinkDown, i.e. while this node's subscriptions are gone.
            listener.onDown = () -> broker.publish("k.topic", "2".getBytes(StandardCharsets.UTF_8), KEEP)
                    .whenComplete((p, err) -> {
                        if (err == null) {
                            duringOutage.complete(p);
                        } else {
                            duringOutage.completeExceptionally(err);
                        }
                    });
            assertTrue(PLAIN.redis().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub()) >= 1);
            listener.next(WAIT, "down");
            assertEquals(new StreamPosition(2, first.epoch()), duringOutage.get(5, TimeUnit.SECONDS),
                    "a publish while the pub/sub link is down succeeds");
            RecordingListener.Event back = listener.next(WAIT, "resubscribed");
            assertTrue(back.topics().contains("k.topic"), back.toString());
            HistoryResult missed = history(broker, "k.topic", 1, first.epoch());
            assertTrue(missed.complete());
            assertEquals(List.of(2L), missed.publications().stream().map(Publication::offset).toList(),
                    "what the link missed is in history");
            StreamPosition third = publish(broker, "k.topic", 3);
            RecordingListener.Event live = listener.next(WAIT, e -> e.publication() && e.offset() == 3);
            assertEquals(third.epoch(), live.epoch());
        }
    }

    @Test
    void whatAKilledLinkMissesAtAThousandPerSecondIsAllInHistoryAtResubscribe() throws Exception {
        String prefix = RedisServerExtension.uniquePrefix("seam");
        HistoryPolicy keepAll = new HistoryPolicy(10_000, Duration.ofMinutes(5));
        int total = 3000;
        RecordingListener ignore = new RecordingListener();
        java.util.Set<Long> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Set<Long> recovered = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicLong lastLive = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean outOfOrder = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicInteger resubscribes = new AtomicInteger();
        java.util.List<CompletableFuture<?>> catchUps = new java.util.concurrent.CopyOnWriteArrayList<>();
        RedisBroker[] subscriberRef = new RedisBroker[1];
        java.util.concurrent.atomic.AtomicLong deliveredBeforeDown = new java.util.concurrent.atomic.AtomicLong(-1);
        // The subscriber node's listener does what the hub does: note live offsets in order; from onLinkDown on,
        // live ones are only buffered (lettuce resubscribes by itself, so they flow again before onResubscribed), and
        // on onResubscribed it reads history from the last offset delivered before the link went down.
        dev.pushgate.gateway.broker.BrokerListener node = new dev.pushgate.gateway.broker.BrokerListener() {
            @Override
            public void onLinkDown() {
                deliveredBeforeDown.compareAndSet(-1, lastLive.get());
            }

            @Override
            public void onPublication(String topic, long offset, String epoch, byte[] data) {
                if (offset <= lastLive.get()) {
                    outOfOrder.set(true);
                }
                lastLive.set(offset);
                live.add(offset);
            }

            @Override
            public void onResubscribed(java.util.Set<String> topics) {
                resubscribes.incrementAndGet();
                long since = deliveredBeforeDown.getAndSet(-1);
                catchUps.add(subscriberRef[0].history("s.topic", since, null, 10_000)
                        .thenAccept(r -> {
                            assertTrue(r.complete(), r.toString());
                            r.publications().forEach(p -> recovered.add(p.offset()));
                        }).toCompletableFuture());
            }
        };
        try (RedisBroker publisher = RedisBroker.connect(new GatewayConfig.Redis(URI.create(PLAIN.uri()), prefix,
                     Duration.ofSeconds(5), 10_000), RedisMetrics.NONE);
             RedisBroker subscriber = RedisBroker.connect(new GatewayConfig.Redis(URI.create(PLAIN.uri()), prefix,
                     Duration.ofSeconds(2), 1000), RedisMetrics.NONE)) {
            publisher.start(ignore);
            subscriberRef[0] = subscriber;
            subscriber.start(node);
            subscriber.subscribe("s.topic").toCompletableFuture().get(5, TimeUnit.SECONDS);
            List<CompletableFuture<StreamPosition>> sent = new java.util.ArrayList<>();
            long start = System.nanoTime();
            for (int i = 1; i <= total; i++) {
                // Paced at one per millisecond (load generation, not synchronisation).
                java.util.concurrent.locks.LockSupport.parkNanos(start + i * 1_000_000L - System.nanoTime());
                sent.add(publisher.publish("s.topic", Integer.toString(i).getBytes(StandardCharsets.UTF_8), keepAll)
                        .toCompletableFuture());
                if (i == 1000 || i == 2000) {
                    PLAIN.redis().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub());
                }
            }
            for (CompletableFuture<StreamPosition> f : sent) {
                f.get(10, TimeUnit.SECONDS);
            }
            org.slf4j.LoggerFactory.getLogger(RedisBrokerLinkTest.class).info(
                    "measured: published millis={} live={} of {}", (System.nanoTime() - start) / 1_000_000,
                    live.size(), total);
            Await.until(WAIT, () -> resubscribes.get() >= 2 && live.contains((long) total),
                    () -> "resubscribes=" + resubscribes.get() + " live=" + live.size());
            CompletableFuture.allOf(catchUps.toArray(new CompletableFuture[0])).get(5, TimeUnit.SECONDS);
            java.util.Set<Long> delivered = new java.util.HashSet<>(live);
            delivered.addAll(recovered);
            assertEquals(total, delivered.size(), "live " + live.size() + " + recovered " + recovered.size());
            assertFalse(outOfOrder.get(), "live publications arrive in offset order");
            assertTrue(live.size() < total, "the kills cost live deliveries (else this test proves nothing)");
        }
    }

    @Test
    void theProbeFindsAStalledLinkReconnectsItAndReadinessFollows() throws Exception {
        RecordingListener listener = new RecordingListener();
        AtomicInteger probeFailures = new AtomicInteger();
        RedisMetrics metrics = new CountingMetrics(probeFailures);
        try (StallingProxy proxy = new StallingProxy(PLAIN.port());
             RedisBroker broker = broker(proxy.uri(), RedisServerExtension.uniquePrefix("probe"),
                     Duration.ofMillis(200), metrics, listener)) {
            broker.subscribe("p.topic").toCompletableFuture().get(5, TimeUnit.SECONDS);
            StreamPosition first = publish(broker, "p.topic", 1);
            listener.next(WAIT, "publication");
            assertTrue(broker.isReady());

            proxy.stallSubscribers(true); // the socket stays open; nothing arrives on it any more
            listener.next(WAIT, "down");
            assertTrue(probeFailures.get() >= 1, "counted");
            assertFalse(broker.isReady(), "a link that does not deliver is not ready");
            assertEquals(new StreamPosition(2, first.epoch()), publish(broker, "p.topic", 2),
                    "publishing does not depend on the pub/sub link");

            proxy.stallSubscribers(false);
            RecordingListener.Event back = listener.next(WAIT, "resubscribed");
            assertTrue(back.topics().contains("p.topic"), back.toString());
            Await.until(WAIT, broker::isReady, () -> "not ready after the link came back");
            assertEquals(List.of(2L), history(broker, "p.topic", 1, first.epoch()).publications().stream()
                    .map(Publication::offset).toList());
            publish(broker, "p.topic", 3);
            listener.next(WAIT, e -> e.publication() && e.offset() == 3);
        }
    }

    private static StreamPosition publish(RedisBroker broker, String topic, int n) throws Exception {
        return broker.publish(topic, Integer.toString(n).getBytes(StandardCharsets.UTF_8), KEEP)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static HistoryResult history(RedisBroker broker, String topic, long since, String epoch)
            throws Exception {
        return broker.history(topic, since, epoch, 100).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** Counts probe failures; nothing else. */
    private record CountingMetrics(AtomicInteger probeFailures) implements RedisMetrics {
        @Override
        public void outage() {
        }

        @Override
        public void resubscribed(int topics, long nanos) {
        }

        @Override
        public void command(long nanos) {
        }

        @Override
        public void malformed() {
        }

        @Override
        public void probeFailed() {
            probeFailures.incrementAndGet();
        }
    }
}
