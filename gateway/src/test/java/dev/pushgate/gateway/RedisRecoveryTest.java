package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.RedisServerExtension;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.WsClient;
import io.lettuce.core.KillArgs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Recovery end to end on the Redis layer, through two real nodes on one real Redis: a client that moves to another
 * node with {@code since} gets exactly what it missed, then live; what history cannot cover is {@code
 * recovered:false} with nothing replayed; a node whose pub/sub connection is killed again and again under load, or
 * whose Redis restarts with an append-only file, loses nothing for its connected clients; a restart without
 * persistence is a {@code gap} for connected clients and {@code recovered:false} for returning ones.
 */
class RedisRecoveryTest {
    private static final Logger log = LoggerFactory.getLogger(RedisRecoveryTest.class);
    /** Generous: the machine is shared and loaded. */
    private static final Duration WAIT = Duration.ofSeconds(30);
    @RegisterExtension
    static final RedisServerExtension PLAIN = new RedisServerExtension();
    @RegisterExtension
    static final RedisServerExtension AOF = RedisServerExtension.withAppendOnlyFile();
    private static Gateway a;
    private static Gateway b;
    private static final Map<String, Integer> COUNTERS = new ConcurrentHashMap<>();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    @BeforeAll
    static void start() {
        Map<String, String> config = config(PLAIN, "plain"); // one prefix: the two nodes act as one gateway
        a = TestGateways.start(config);
        b = TestGateways.start(config);
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    /** The tests that restart Redis leave the nodes reconnecting: every test starts from ready nodes. */
    @BeforeEach
    void ready() {
        awaitReady(a, b);
    }

    private static Map<String, String> config(RedisServerExtension redis, String name) {
        Map<String, String> m = new HashMap<>(redis.gatewayConfig(RedisServerExtension.uniquePrefix(name)));
        m.put("namespaces.small.history-size", "3");
        m.put("namespaces.small.history-ttl", "10m");
        m.put("namespaces.wide.history-size", "10000");
        m.put("namespaces.wide.history-ttl", "10m");
        m.put("namespaces.wide.publish", "true");
        return m;
    }

    @Test
    void aClientThatMovesToAnotherNodeGetsExactlyWhatItMissedThenLive() throws Exception {
        String topic = "chat.moves";
        String epoch;
        try (WsClient onA = WsClient.connect(TestGateways.wsUrl(a))) {
            epoch = onA.subscribeSince(topic, null, 0).path("epoch").asText();
            publish(a, topic, 3);
            for (int i = 1; i <= 3; i++) {
                assertEquals(i, onA.nextMessage().path("seq").asLong());
            }
        }
        int missed = 20;
        publish(a, topic, missed);
        try (WsClient onB = WsClient.connect(TestGateways.wsUrl(b))) {
            JsonNode ack = onB.subscribeSince(topic, epoch, 3);
            assertTrue(ack.path("recovered").asBoolean(), "recovered: " + ack);
            assertEquals(epoch, ack.path("epoch").asText(), "one epoch on every node");
            assertEquals(3 + missed, ack.path("seq").asLong());
            for (int i = 4; i <= 3 + missed; i++) {
                JsonNode m = onB.next();
                assertEquals("message", m.path("op").asText(), m.toString());
                assertEquals(i, m.path("seq").asLong(), "the replay, in order: " + m);
                assertEquals(i, m.path("data").path("n").asInt());
            }
            publish(a, topic, 2);
            for (int i = 4 + missed; i <= 5 + missed; i++) {
                JsonNode m = onB.next();
                assertEquals("message", m.path("op").asText(), m.toString());
                assertEquals(i, m.path("seq").asLong(), "then live, no duplicate at the seam: " + m);
            }
            assertEquals(null, onB.poll(Duration.ofMillis(200)), "nothing else");
        }
    }

    @Test
    void hoppingBetweenNodesUnderSteadyPublishingHasNoGapAndNoDuplicate() throws Exception {
        String topic = "wide.seam";
        int total = 1500;
        int clients = 2;
        List<WsClient> first = new ArrayList<>();
        String epoch = null;
        for (int i = 0; i < clients; i++) {
            WsClient c = WsClient.connect(TestGateways.wsUrl(i % 2 == 0 ? a : b));
            epoch = c.subscribeSince(topic, null, 0).path("epoch").asText();
            first.add(c);
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
        try {
            Future<?> publisher = pool.submit(() -> {
                try (WsClient pub = WsClient.connect(TestGateways.wsUrl(a))) {
                    paced(total, i -> pub.request("publish", "\"topic\":\"" + topic + "\",\"data\":{\"n\":" + i + "}"),
                            null);
                    expectAcks(pub, total);
                }
                return null;
            });
            List<Future<List<Long>>> seen = new ArrayList<>();
            for (int k = 0; k < clients; k++) {
                WsClient c = first.get(k);
                String e = epoch;
                int hop = 37 + 11 * k;
                int startOn = k % 2;
                seen.add(pool.submit(() -> hopAround(c, startOn, topic, e, total, hop)));
            }
            for (Future<List<Long>> f : seen) {
                assertContiguous(f.get(120, TimeUnit.SECONDS), total);
            }
            publisher.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
            first.forEach(WsClient::close);
        }
    }

    /** Reads messages, reconnecting with {@code since} to the other node every {@code hop} messages. */
    private static List<Long> hopAround(WsClient firstClient, int startOn, String topic, String epoch, int total,
                                        int hop) throws Exception {
        List<Long> got = new ArrayList<>();
        WsClient c = firstClient;
        Gateway[] nodes = {a, b};
        int on = startOn;
        long last = 0;
        int reconnects = 0;
        try {
            while (last < total) {
                JsonNode m = c.poll(WAIT);
                if (m == null || !m.path("op").asText().equals("message")) {
                    throw new AssertionError("after " + last + " (" + got.size() + " messages, " + reconnects
                            + " reconnects): " + m);
                }
                last = m.path("seq").asLong();
                got.add(last);
                if (got.size() % hop == 0 && last < total) {
                    c.close();
                    on = 1 - on;
                    c = WsClient.connect(TestGateways.wsUrl(nodes[on]));
                    JsonNode ack = c.subscribeSince(topic, epoch, last);
                    assertTrue(ack.path("recovered").asBoolean(), "recovered: " + ack);
                    reconnects++;
                }
            }
        } finally {
            c.close();
        }
        assertTrue(reconnects > 10, "the test did reconnect: " + reconnects);
        return got;
    }

    @Test
    void aTrimmedHistoryIsNotRecoveredAndNothingIsReplayed() throws Exception {
        String topic = "small.trimmed";
        String epoch;
        try (WsClient onA = WsClient.connect(TestGateways.wsUrl(a))) {
            epoch = onA.subscribeSince(topic, null, 0).path("epoch").asText();
        }
        publish(a, topic, 5); // the stream keeps 3: 3..5; a client at 0 misses 1 and 2 for good
        try (WsClient onB = WsClient.connect(TestGateways.wsUrl(b))) {
            JsonNode ack = onB.subscribeSince(topic, epoch, 0);
            assertFalse(ack.path("recovered").asBoolean(true), "not recovered: " + ack);
            assertEquals(epoch, ack.path("epoch").asText());
            assertEquals(5, ack.path("seq").asLong(), "the current position, to refetch from: " + ack);
            publish(a, topic, 1);
            JsonNode m = onB.next();
            assertEquals("message", m.path("op").asText(), m.toString());
            assertEquals(6, m.path("seq").asLong(), "no partial replay: the next message is live");
        }
        try (WsClient onB = WsClient.connect(TestGateways.wsUrl(b))) {
            JsonNode ack = onB.subscribeSince(topic, epoch, 3);
            assertTrue(ack.path("recovered").asBoolean(), "within the history it does recover: " + ack);
            for (int i = 4; i <= 6; i++) {
                assertEquals(i, onB.nextMessage().path("seq").asLong());
            }
        }
    }

    @Test
    void aRestartWithoutPersistenceIsAGapForConnectedClientsAndNotRecoveredForReturningOnes() throws Exception {
        String topic = "chat.amnesia";
        String epoch;
        try (WsClient onA = WsClient.connect(TestGateways.wsUrl(a));
             WsClient onB = WsClient.connect(TestGateways.wsUrl(b));
             WsClient leaving = WsClient.connect(TestGateways.wsUrl(a))) {
            epoch = onA.subscribeSince(topic, null, 0).path("epoch").asText();
            onB.subscribeSince(topic, null, 0);
            leaving.subscribeSince(topic, null, 0);
            publish(a, topic, 3);
            for (WsClient c : List.of(onA, onB, leaving)) {
                for (int i = 1; i <= 3; i++) {
                    assertEquals(i, c.nextMessage().path("seq").asLong());
                }
            }
            leaving.close(); // away while Redis restarts; comes back below with since

            double resubscribedA = RedisMultiNodeTest.metric(a, "pushgate_redis_resubscribes_total");
            double resubscribedB = RedisMultiNodeTest.metric(b, "pushgate_redis_resubscribes_total");
            PLAIN.stop();
            Await.until(WAIT, () -> status(a) == 503 && status(b) == 503, () -> "readyz not 503");
            PLAIN.start();
            awaitReady(a, b);
            // Ready does not wait for the resubscribe (publishing never does); a publication before it would be
            // covered by the gap's position instead of delivered after it. Wait, so the test knows which it is.
            Await.until(WAIT, () -> RedisMultiNodeTest.metric(a, "pushgate_redis_resubscribes_total") > resubscribedA
                    && RedisMultiNodeTest.metric(b, "pushgate_redis_resubscribes_total") > resubscribedB,
                    () -> "not resubscribed");
            publish(a, topic, 1);
            List<JsonNode> gaps = new ArrayList<>();
            for (WsClient c : List.of(onA, onB)) {
                JsonNode gap = c.next();
                assertEquals("gap", gap.path("op").asText(), "the lost history is told, not skipped: " + gap);
                assertEquals(topic, gap.path("topic").asText());
                assertNotEquals(epoch, gap.path("epoch").asText(), gap.toString());
                gaps.add(gap);
            }
            // The gap's seq is 0, or 1 when the node's catch-up read ran after that publish: then it covers it.
            publish(a, topic, 1);
            for (int k = 0; k < 2; k++) {
                WsClient c = List.of(onA, onB).get(k);
                for (long expect = gaps.get(k).path("seq").asLong() + 1; expect <= 2; expect++) {
                    JsonNode m = c.next();
                    assertEquals("message", m.path("op").asText(), m.toString());
                    assertEquals(expect, m.path("seq").asLong(), "delivery goes on right after the gap: " + m);
                    assertEquals(gaps.get(k).path("epoch").asText(), history(a, topic).path("epoch").asText());
                }
                assertFalse(c.isClosed(), "connected clients stay connected");
            }
        }
        for (Gateway node : List.of(a, b)) {
            try (WsClient back = WsClient.connect(TestGateways.wsUrl(node))) {
                JsonNode ack = back.subscribeSince(topic, epoch, 3);
                assertFalse(ack.path("recovered").asBoolean(true), "another epoch: not recovered: " + ack);
                assertNotEquals(epoch, ack.path("epoch").asText());
                assertEquals(2, ack.path("seq").asLong(), ack.toString());
                assertEquals(null, back.poll(Duration.ofMillis(200)), "nothing replayed");
            }
        }
    }

    @Test
    void killingTheSubscriberNodesPubSubConnectionUnderLoadCostsItsClientsNothing() throws Exception {
        String topic = "wide.kill";
        int total = 3000;
        int kills = 5;
        List<WsClient> subscribers = new ArrayList<>();
        try (WsClient pub = WsClient.connect(TestGateways.wsUrl(a))) {
            for (int i = 0; i < 3; i++) {
                WsClient c = WsClient.connect(TestGateways.wsUrl(b));
                subscribers.add(c);
                c.subscribeSince(topic, null, 0);
            }
            double resubscribesBefore = RedisMultiNodeTest.metric(b, "pushgate_redis_resubscribes_total");
            double gapsBefore = repairs(b, "gap");
            AtomicInteger killed = new AtomicInteger();
            long start = System.nanoTime();
            // ~1,000/s from node A; every 500th publication kills every pub/sub connection (node B's included:
            // node A holds only its probe channel, so the kill costs its clients nothing to see).
            paced(total, i -> pub.request("publish", "\"topic\":\"" + topic + "\",\"data\":{\"n\":" + i + "}"),
                    i -> {
                        if (i % (total / (kills + 1)) == 0 && killed.get() < kills) {
                            PLAIN.redis().clientKill(KillArgs.Builder.typePubsub());
                            killed.incrementAndGet();
                        }
                    });
            long publishMillis = (System.nanoTime() - start) / 1_000_000;
            expectAcks(pub, total);
            for (WsClient c : subscribers) {
                assertContiguous(readUntil(c, total), total);
                assertFalse(c.isClosed(), "the client never got a close");
            }
            assertEquals(kills, killed.get());
            double resubscribes = RedisMultiNodeTest.metric(b, "pushgate_redis_resubscribes_total")
                    - resubscribesBefore;
            assertTrue(resubscribes >= 1, "the kills did cut node B off: resubscribes=" + resubscribes);
            assertEquals(gapsBefore, repairs(b, "gap"), "no gap told");
            log.info("measured: published={} millis={} kills={} resubscribes={} repaired={}", total, publishMillis,
                    kills, resubscribes, repairs(b, "repaired"));
        } finally {
            subscribers.forEach(WsClient::close);
        }
    }

    @Test
    void aRedisRestartWithAnAppendOnlyFileMidStreamLosesNoAcknowledgedPublish() throws Exception {
        Map<String, String> config = config(AOF, "aof");
        Gateway c = TestGateways.start(config);
        Gateway d = TestGateways.start(config);
        String topic = "wide.aof";
        List<WsClient> subscribers = new ArrayList<>();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (WsClient pub = WsClient.connect(TestGateways.wsUrl(c))) {
            for (Gateway node : List.of(c, d, d)) {
                WsClient s = WsClient.connect(TestGateways.wsUrl(node));
                subscribers.add(s);
                s.subscribeSince(topic, null, 0);
            }
            Map<Long, Integer> acked = new ConcurrentHashMap<>(); // seq -> the publisher's n
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger ackedAfterRestart = new AtomicInteger();
            AtomicBoolean restarted = new AtomicBoolean();
            AtomicBoolean enough = new AtomicBoolean();
            Future<?> publisher = pool.submit(() -> {
                // One at a time, every 2 ms at most; bounded, and stopped once enough went through after the restart.
                long begin = System.nanoTime();
                for (int n = 1; n <= 20_000 && !enough.get(); n++) {
                    LockSupport.parkNanos(begin + n * 2_000_000L - System.nanoTime());
                    JsonNode r = pub.awaitReply(pub.request("publish",
                            "\"topic\":\"" + topic + "\",\"data\":{\"n\":" + n + "}"), WAIT);
                    if (r.path("op").asText().equals("ack")) {
                        acked.put(r.path("seq").asLong(), n);
                        if (restarted.get()) {
                            ackedAfterRestart.incrementAndGet();
                        }
                    } else {
                        assertEquals("unavailable", r.path("code").asText(), r.toString());
                        refused.incrementAndGet();
                    }
                }
                return null;
            });
            Await.until(WAIT, () -> acked.size() >= 200, () -> "acked " + acked.size());
            AOF.stop();
            Await.until(WAIT, () -> refused.get() >= 1, () -> "no publish refused while Redis is down");
            AOF.start();
            restarted.set(true);
            Await.until(Duration.ofSeconds(60), () -> ackedAfterRestart.get() >= 200,
                    () -> "acked after the restart " + ackedAfterRestart.get() + ", refused " + refused.get());
            enough.set(true);
            publisher.get(60, TimeUnit.SECONDS);

            long last = acked.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            for (WsClient s : subscribers) {
                List<JsonNode> got = readFramesUntil(s, last);
                long expect = 1;
                int previousN = 0;
                for (JsonNode m : got) {
                    assertEquals("message", m.path("op").asText(), "no gap, nothing but messages: " + m);
                    assertEquals(expect++, m.path("seq").asLong(), "once each, in order: " + m);
                    int n = m.path("data").path("n").asInt();
                    assertTrue(n > previousN, "in publish order: " + m);
                    previousN = n;
                    Integer sent = acked.get(m.path("seq").asLong());
                    if (sent != null) {
                        assertEquals(sent, n, "the acknowledged publication at its seq: " + m);
                    }
                }
                assertFalse(s.isClosed(), "no client reconnect");
            }
            for (Gateway node : List.of(c, d)) {
                assertEquals(0, repairs(node, "gap"), "no gap told");
                assertTrue(repairs(node, "repaired") >= 1, "the node caught up from history after the restart");
            }
            log.info("measured: acked={} refused={} lastSeq={} repaired={}", acked.size(), refused.get(), last,
                    repairs(d, "repaired"));
        } finally {
            pool.shutdownNow();
            subscribers.forEach(WsClient::close);
            c.close();
            d.close();
        }
    }

    // ---- helpers

    private interface Step {
        void run(int i) throws Exception;
    }

    /** Runs {@code send(i)} for i = 1..total, one per millisecond (load generation, not synchronisation). */
    private static void paced(int total, Step send, Step after) throws Exception {
        long begin = System.nanoTime();
        for (int i = 1; i <= total; i++) {
            LockSupport.parkNanos(begin + i * 1_000_000L - System.nanoTime());
            send.run(i);
            if (after != null) {
                after.run(i);
            }
        }
    }

    /** Every one of {@code total} pipelined publishes on {@code pub} was acknowledged. */
    private static void expectAcks(WsClient pub, int total) throws InterruptedException {
        for (int i = 0; i < total; i++) {
            JsonNode r = pub.poll(WAIT);
            if (r == null || !r.path("op").asText().equals("ack")) {
                fail("publish " + (i + 1) + " of " + total + " not acknowledged: " + r);
            }
        }
    }

    /** The {@code seq} of every message until {@code last}; any other frame fails. */
    private static List<Long> readUntil(WsClient c, long last) throws InterruptedException {
        List<Long> seqs = new ArrayList<>();
        for (JsonNode m : readFramesUntil(c, last)) {
            assertEquals("message", m.path("op").asText(), "after " + seqs.size() + " messages: " + m);
            seqs.add(m.path("seq").asLong());
        }
        return seqs;
    }

    /** Every frame until the message with {@code seq == last}; fails when the stream stalls for {@link #WAIT}. */
    private static List<JsonNode> readFramesUntil(WsClient c, long last) throws InterruptedException {
        List<JsonNode> got = new ArrayList<>();
        while (true) {
            JsonNode m = c.poll(WAIT);
            if (m == null) {
                fail("stalled after " + got.size() + " frames, last " + (got.isEmpty() ? null
                        : got.get(got.size() - 1)));
            }
            got.add(m);
            if (m.path("op").asText().equals("message") && m.path("seq").asLong() >= last) {
                return got;
            }
            if (got.size() > 10 * last + 100) {
                fail("far more frames than messages: " + got.size());
            }
        }
    }

    private static void assertContiguous(List<Long> seqs, int total) {
        assertEquals(total, seqs.size(), "every message exactly once");
        for (int i = 0; i < total; i++) {
            if (seqs.get(i) != i + 1) {
                fail("offsets must rise by one (no gap, no duplicate): at index " + i + " got " + seqs.get(i)
                        + " around " + seqs.subList(Math.max(0, i - 3), Math.min(total, i + 3)));
            }
        }
    }

    /** {@code n} publications of {@code topic} in one HTTP batch on {@code node}, data {@code {"n":k}} counting up. */
    private static void publish(Gateway node, String topic, int n) throws Exception {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"topic\":\"").append(topic).append("\",\"data\":{\"n\":")
                    .append(COUNTERS.merge(topic, 1, Integer::sum)).append("}}");
        }
        HttpResponse<String> r = Http.publish(TestGateways.httpUrl(node), sb.append(']').toString());
        assertEquals(200, r.statusCode(), r.body());
    }

    /** {@code pushgate_topic_repairs_total{outcome=...}} on {@code node}, 0 before the first. */
    private static double repairs(Gateway node, String outcome) {
        try {
            for (String line : Http.get(TestGateways.httpUrl(node) + "/metrics").body().split("\n")) {
                if (line.startsWith("pushgate_topic_repairs_total{") && line.contains("outcome=\"" + outcome + "\"")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
                }
            }
            return 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode history(Gateway node, String topic) throws Exception {
        HttpResponse<String> r = Http.get(TestGateways.httpUrl(node) + "/api/history?topic=" + topic,
                TestGateways.API_KEY);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static void awaitReady(Gateway... nodes) {
        for (Gateway g : nodes) {
            Await.until(WAIT, () -> status(g) == 200, () -> "readyz not 200 on port " + g.port());
        }
    }

    private static int status(Gateway g) {
        try {
            return Http.get(TestGateways.httpUrl(g) + "/readyz").statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
