package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.CountingSubscribers;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.RawWebSocket;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One subscriber stops reading (with a backlog of its own) while 1,000 messages/s flow to it and 100 others: the others get every message in order,
 * the slow one is closed (4001) or skipped-then-told by namespace policy, and buffered memory stays bounded.
 */
class SlowConsumerTest {
    private static final Logger log = LoggerFactory.getLogger(SlowConsumerTest.class);
    private static final int SUBSCRIBERS = 100;
    private static final int MESSAGES = 3000;
    private static final String PAD = "x".repeat(100);

    private static Gateway start() {
        // On a busy machine the fast subscribers (one client loop for all of them) fall seconds behind, and a Ping
        // waits behind what they have not read yet: the heartbeat is not what this test is about, so it is long.
        // So is the node's own overload shedding: on a busy machine the loops fall behind 1,000 msg/s x 100
        // subscribers and would drop for everyone (fanout.max-queue-delay); this test is about one slow consumer.
        return TestGateways.start(Map.of("heartbeat.interval", "30s", "heartbeat.timeout", "10m",
                "outbound.max-buffer", "1MiB", "outbound.socket-send-buffer", "16KiB", "outbound.slow-grace", "1s",
                "namespaces.feedc.publish", "true", "namespaces.feeds.publish", "true",
                "namespaces.feeds.slow-consumer", "skip", "io-threads", "2", "fanout.max-queue-delay", "0"));
    }

    @Test
    void slowConsumerIsClosedWith4001AndNobodyElseNotices() throws Exception {
        try (Gateway g = start()) {
            try (CountingSubscribers fast = new CountingSubscribers(TestGateways.wsUrl(g), "feedc.t", SUBSCRIBERS, MESSAGES);
                 RawWebSocket slow = new RawWebSocket(g.port(), "/ws", 4096)) {
                slow.sendFrame(0x81, "{\"op\":\"subscribe\",\"id\":1,\"topic\":\"feedc.t\"}".getBytes());
                slow.sendFrame(0x81, "{\"op\":\"subscribe\",\"id\":2,\"topic\":\"feedc.bulk\"}".getBytes());
                awaitSubscriptions(g, SUBSCRIBERS + 2);
                publishBulk(g, "feedc.bulk");
                publishAtRate(g, "feedc.t");
                long[] latencies = assertEveryoneGotEverything(fast);
                awaitMetric(g, "pushgate_slow_consumer_closes_total", 1.0);
                assertBoundedBuffers(g);
                Arrays.sort(latencies);
                log.info("fast subscribers during a slow one: p50={}ms p99={}ms max={}ms",
                        latencies[latencies.length / 2], latencies[(int) (latencies.length * 0.99)],
                        latencies[latencies.length - 1]);
            }
        }
    }

    @Test
    void skipPolicyKeepsTheSlowOneAndTellsItWhatItMissed() throws Exception {
        try (Gateway g = start()) {
            try (CountingSubscribers fast = new CountingSubscribers(TestGateways.wsUrl(g), "feeds.t", SUBSCRIBERS, MESSAGES);
                 RawWebSocket slow = new RawWebSocket(g.port(), "/ws", 4096)) {
                slow.sendFrame(0x81, "{\"op\":\"subscribe\",\"id\":1,\"topic\":\"feeds.t\"}".getBytes());
                slow.sendFrame(0x81, "{\"op\":\"subscribe\",\"id\":2,\"topic\":\"feeds.bulk\"}".getBytes());
                awaitSubscriptions(g, SUBSCRIBERS + 2);
                publishBulk(g, "feeds.bulk");
                publishAtRate(g, "feeds.t");
                assertEveryoneGotEverything(fast);
                assertBoundedBuffers(g);
                // Now the slow one reads everything it was sent; at the end comes the skipped notice.
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                int skipped = -1;
                while (skipped < 0 && System.nanoTime() < deadline) {
                    RawWebSocket.Frame f = slow.readFrame(Duration.ofSeconds(10));
                    assertTrue(f != null && f.opcode() != 8, "the slow consumer must not be closed under skip policy");
                    if (f.opcode() == 1 && f.text().contains("\"op\":\"skipped\"")) {
                        JsonNode topics = new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.text()).path("topics");
                        skipped = topics.path("feeds.t").asInt() + topics.path("feeds.bulk").asInt();
                    }
                }
                assertTrue(skipped > 0, "expected a skipped notice with a count, got " + skipped);
                log.info("skip policy: slow consumer told it missed {} messages", skipped);
            }
        }
    }

    private static void awaitSubscriptions(Gateway g, long n) {
        Await.until(Duration.ofSeconds(10), () -> g.hub().subscriptionCount() >= n,
                () -> "subscriptions: " + g.hub().subscriptionCount());
    }

    /**
     * A backlog only the slow subscriber asked for (40 x 64 KiB): it fills its budget at once, so the test does not
     * depend on how fast the machine drains the fast subscribers.
     */
    private static void publishBulk(Gateway g, String topic) throws Exception {
        String big = "{\"topic\":\"" + topic + "\",\"data\":\"" + "y".repeat(64 * 1024) + "\"}";
        for (int i = 0; i < 40; i++) {
            assertEquals(200, Http.publish(TestGateways.httpUrl(g), big).statusCode());
        }
    }

    /** 1,000 messages per second from a WebSocket publisher: 10 every 10 ms. */
    private static void publishAtRate(Gateway g, String topic) throws Exception {
        try (WsClient pub = WsClient.connect(TestGateways.wsUrl(g))) {
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            AtomicInteger sent = new AtomicInteger();
            java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
            try {
                // A task that throws is never run again by the timer: keep the failure for the assertion below.
                timer.scheduleAtFixedRate(() -> {
                    try {
                        for (int k = 0; k < 10 && sent.get() < MESSAGES; k++) {
                            pub.request("publish", "\"topic\":\"" + topic + "\",\"data\":{\"i\":" + sent.get()
                                    + ",\"t\":" + System.currentTimeMillis() + ",\"p\":\"" + PAD + "\"}");
                            sent.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        failed.compareAndSet(null, e);
                        throw e;
                    }
                }, 0, 10, TimeUnit.MILLISECONDS);
                Await.until(Duration.ofSeconds(60), () -> sent.get() >= MESSAGES || failed.get() != null,
                        () -> "sent " + sent.get());
                assertEquals(null, failed.get(), "publisher failed after " + sent.get() + " messages (closed: "
                        + pub.isClosed() + ")");
                // The last publish's ack proves the node has taken every one before the publisher disconnects.
                pub.awaitReply(MESSAGES, Duration.ofSeconds(180));
            } finally {
                timer.shutdownNow();
            }
        }
    }

    private static long[] assertEveryoneGotEverything(CountingSubscribers fast) throws InterruptedException {
        List<CountingSubscribers.Counter> counters = fast.awaitAll(30);
        long[] latencies = new long[counters.size() * MESSAGES];
        int n = 0;
        String progress = counters.stream().map(c -> Integer.toString(c.next)).distinct().sorted()
                .collect(java.util.stream.Collectors.joining(","));
        for (CountingSubscribers.Counter c : counters) {
            assertEquals(null, c.violation, "order and completeness");
            assertEquals(MESSAGES, c.next, "every message; subscribers stopped at " + progress + ", open: "
                    + fast.openCount());
            System.arraycopy(c.latencyMillis, 0, latencies, n, MESSAGES);
            n += MESSAGES;
        }
        return latencies;
    }

    private static void awaitMetric(Gateway g, String name, double value) {
        Await.until(Duration.ofSeconds(15), () -> metric(g, name) >= value, () -> name + " = " + metric(g, name));
    }

    /** Buffers of the stuck socket are capped by the budget: pooled direct memory stays far below the traffic. */
    private static void assertBoundedBuffers(Gateway g) throws Exception {
        double direct = metric(g, "pushgate_netty_allocator_used_bytes{memory=\"direct\"}");
        long traffic = (long) MESSAGES * (PAD.length() + 60);
        log.info("pooled direct memory in use: {} bytes (one subscriber's full stream would be {} bytes)", (long) direct, traffic);
        assertTrue(direct < 64L * 1024 * 1024, "direct memory " + direct);
    }

    private static double metric(Gateway g, String series) {
        try {
            for (String line : Http.get(TestGateways.httpUrl(g) + "/metrics").body().split("\n")) {
                if (line.startsWith(series + " ")) {
                    return Double.parseDouble(line.substring(series.length() + 1).trim());
                }
            }
            return 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
