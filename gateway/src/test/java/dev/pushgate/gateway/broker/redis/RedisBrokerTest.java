package dev.pushgate.gateway.broker.redis;

import dev.pushgate.gateway.broker.BrokerListener;
import dev.pushgate.gateway.broker.HistoryPolicy;
import dev.pushgate.gateway.broker.StreamPosition;
import dev.pushgate.gateway.broker.BrokerUnavailableException;
import dev.pushgate.gateway.broker.HistoryPolicy;
import dev.pushgate.gateway.broker.StreamPosition;
import dev.pushgate.gateway.config.GatewayConfig;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.RedisServerExtension;
import dev.pushgate.protocol.RedisWire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The broker on its own against a real Redis: subscription reconciliation, bounded publishing, script reload. */
class RedisBrokerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private RedisBroker broker(String prefix, int maxPending, Recorder listener) {
        RedisBroker b = RedisBroker.connect(new GatewayConfig.Redis(URI.create(REDIS.uri()), prefix,
                Duration.ofSeconds(2), maxPending), RedisMetrics.NONE);
        b.start(listener);
        return b;
    }

    @Test
    void subscribeChurnEndsInTheWantedStateForEveryTopic() throws Exception {
        String prefix = RedisServerExtension.uniquePrefix("churn");
        Recorder received = new Recorder();
        int threads = 4;
        int topicsPerThread = 8;
        boolean[][] wanted = new boolean[threads][topicsPerThread];
        try (RedisBroker broker = broker(prefix, 10_000, received)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch done = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                int thread = t;
                pool.execute(() -> {
                    // Each thread owns its topics, as the hub orders calls per topic; no call waits for the last.
                    Random random = new Random(thread);
                    for (int i = 0; i < 1500; i++) {
                        int k = random.nextInt(topicsPerThread);
                        String topic = "t" + thread + "." + k;
                        if (wanted[thread][k]) {
                            broker.unsubscribe(topic);
                        } else {
                            broker.subscribe(topic);
                        }
                        wanted[thread][k] = !wanted[thread][k];
                    }
                    done.countDown();
                });
            }
            assertTrue(done.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            pool.shutdown();
            List<String> want = new ArrayList<>();
            List<String> unwanted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                for (int k = 0; k < topicsPerThread; k++) {
                    (wanted[t][k] ? want : unwanted).add("t" + t + "." + k);
                }
            }
            Await.until(WAIT, () -> want.stream().allMatch(t -> numsub(prefix, t) == 1)
                            && unwanted.stream().allMatch(t -> numsub(prefix, t) == 0),
                    () -> "redis subscriptions differ from " + want);
            assertEquals(want.size(), broker.subscribedChannels());
            // Unwanted topics first: on one connection, anything they delivered would arrive before the rest.
            for (String t : unwanted) {
                broker.publish(t, "1".getBytes(StandardCharsets.UTF_8), HistoryPolicy.NONE).toCompletableFuture().get();
            }
            for (String t : want) {
                broker.publish(t, "1".getBytes(StandardCharsets.UTF_8), HistoryPolicy.NONE).toCompletableFuture().get();
            }
            Await.until(WAIT, () -> received.topics.keySet().containsAll(want), () -> "received " + received.topics);
            assertEquals(Set.copyOf(want), received.topics.keySet());
        }
    }

    @Test
    void aFullRequestQueueFailsPublishesFastAndNeverFalselyAcknowledges() throws Exception {
        String prefix = RedisServerExtension.uniquePrefix("bounded");
        Recorder received = new Recorder();
        try (RedisBroker broker = broker(prefix, 4, received)) {
            broker.subscribe("burst").toCompletableFuture().get(5, TimeUnit.SECONDS);
            List<CompletableFuture<Long>> results = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                results.add(broker.publish("burst", Integer.toString(i).getBytes(StandardCharsets.UTF_8),
                        HistoryPolicy.NONE).thenApply(StreamPosition::offset).toCompletableFuture());
            }
            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            int refused = 0;
            for (CompletableFuture<Long> f : results) {
                try {
                    acknowledged.add(f.get(5, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(e.getCause() instanceof BrokerUnavailableException, e.getCause().toString());
                    refused++;
                }
            }
            assertTrue(refused > 0, "a queue of 4 cannot take 2000 publishes at once");
            assertEquals(2000, refused + acknowledged.size());
            Await.until(WAIT, () -> received.seqs.size() == acknowledged.size(),
                    () -> received.seqs.size() + " delivered, " + acknowledged.size() + " acknowledged");
            assertEquals(acknowledged, Set.copyOf(received.seqs), "every ok was published, nothing else");
        }
    }

    @Test
    void aFlushedScriptCacheIsRefilled() throws Exception {
        String prefix = RedisServerExtension.uniquePrefix("noscript");
        Recorder received = new Recorder();
        try (RedisBroker broker = broker(prefix, 100, received)) {
            assertEquals(1L, broker.publish("s", "1".getBytes(StandardCharsets.UTF_8), HistoryPolicy.NONE)
                    .toCompletableFuture().get().offset());
            REDIS.redis().scriptFlush();
            assertEquals(2L, broker.publish("s", "2".getBytes(StandardCharsets.UTF_8), HistoryPolicy.NONE)
                    .toCompletableFuture().get().offset());
            assertTrue(REDIS.redis().ttl(RedisWire.metaKey(prefix, "s")) > 0, "the position expires when idle");
        }
    }

    private static long numsub(String prefix, String topic) {
        return REDIS.numsub(RedisWire.channel(prefix, topic));
    }

    /** Records what arrives; thread-safe. */
    private static final class Recorder implements BrokerListener {
        final ConcurrentHashMap<String, Integer> topics = new ConcurrentHashMap<>();
        final List<Long> seqs = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onPublication(String topic, long seq, String epoch, byte[] data) {
            topics.merge(topic, 1, Integer::sum);
            seqs.add(seq);
        }
    }
}
