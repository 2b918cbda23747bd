package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.RawWebSocket;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recovery on the in-memory layer over real sockets: a client that comes back with {@code since} gets exactly what
 * it missed, in order, then live messages, with no gap and no duplicate at the seam; when history cannot cover it,
 * it gets {@code recovered:false} and nothing replayed. Also: answers keep request order (PROTOCOL.md).
 */
class HistoryRecoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateways.start(Map.of(
                "namespaces.small.history-size", "3", "namespaces.small.history-ttl", "10m",
                "namespaces.brief.history-size", "100", "namespaces.brief.history-ttl", "200ms",
                "namespaces.seam.history-size", "2000", "namespaces.seam.history-ttl", "10m",
                "namespaces.seam.publish", "true"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aReconnectWithSinceGetsExactlyWhatItMissedInOrderThenLive() throws Exception {
        String topic = "chat.recover";
        JsonNode ack;
        try (WsClient a = WsClient.connect(TestGateways.wsUrl(gateway))) {
            ack = a.subscribeSince(topic, null, 0);
            assertEquals(0, ack.path("seq").asLong(), "a topic never published is at 0: " + ack);
            assertFalse(ack.path("epoch").asText().isEmpty(), "the ack names the epoch: " + ack);
            assertFalse(ack.has("recovered"), "no since, no recovered: " + ack);
            publish(topic, 3);
            for (int i = 1; i <= 3; i++) {
                assertEquals(i, a.nextMessage().path("seq").asLong());
            }
        }
        String epoch = ack.path("epoch").asText();
        publish(topic, 5);
        try (WsClient b = WsClient.connect(TestGateways.wsUrl(gateway))) {
            JsonNode again = b.subscribeSince(topic, epoch, 3);
            assertTrue(again.path("recovered").asBoolean(), "recovered: " + again);
            assertEquals(epoch, again.path("epoch").asText());
            assertEquals(8, again.path("seq").asLong());
            for (int i = 4; i <= 8; i++) {
                JsonNode m = b.nextMessage();
                assertEquals(i, m.path("seq").asLong(), "replay in order: " + m);
                assertEquals(i, m.path("data").path("n").asInt());
            }
            publish(topic, 1);
            assertEquals(9, b.nextMessage().path("seq").asLong(), "then live, no duplicate");
        }
    }

    @Test
    void aPositionOlderThanTheHistoryIsNotRecoveredAndNothingIsReplayed() throws Exception {
        String topic = "small.trimmed";
        String epoch;
        try (WsClient a = WsClient.connect(TestGateways.wsUrl(gateway))) {
            epoch = a.subscribeSince(topic, null, 0).path("epoch").asText();
        }
        publish(topic, 5); // history keeps 3: 3..5; a client at 0 misses 1 and 2 for good
        try (WsClient b = WsClient.connect(TestGateways.wsUrl(gateway))) {
            JsonNode ack = b.subscribeSince(topic, epoch, 0);
            assertFalse(ack.path("recovered").asBoolean(true), "not recovered: " + ack);
            assertEquals(5, ack.path("seq").asLong(), "the current position, to refetch from: " + ack);
            publish(topic, 1);
            assertEquals(6, b.nextMessage().path("seq").asLong(), "no partial replay: the next message is live");
        }
        try (WsClient c = WsClient.connect(TestGateways.wsUrl(gateway))) {
            JsonNode ack = c.subscribeSince(topic, epoch, 3);
            assertTrue(ack.path("recovered").asBoolean(), "within the history it does recover: " + ack);
            for (int i = 4; i <= 6; i++) {
                assertEquals(i, c.nextMessage().path("seq").asLong());
            }
        }
    }

    @Test
    void aTopicThatExpiredHasANewEpochAndIsNotRecovered() throws Exception {
        String topic = "brief.expiring";
        String epoch;
        try (WsClient a = WsClient.connect(TestGateways.wsUrl(gateway))) {
            epoch = a.subscribeSince(topic, null, 0).path("epoch").asText();
            publish(topic, 2);
            a.nextMessage();
            a.nextMessage();
        }
        // Idle for longer than its history-ttl (200ms), the topic is dropped: the next publish starts a new epoch.
        Await.until(Duration.ofSeconds(10), () -> !epoch.equals(history(topic, "").path("epoch").asText()),
                () -> "epoch still " + epoch);
        try (WsClient b = WsClient.connect(TestGateways.wsUrl(gateway))) {
            JsonNode ack = b.subscribeSince(topic, epoch, 2);
            assertFalse(ack.path("recovered").asBoolean(true), "another epoch: not recovered: " + ack);
            assertNotEquals(epoch, ack.path("epoch").asText());
        }
    }

    @Test
    void resubscribingWithSinceUnderSteadyPublishingHasNoGapAndNoDuplicate() throws Exception {
        String topic = "seam.steady";
        int total = 1500;
        int clients = 3;
        List<WsClient> first = new ArrayList<>();
        String epoch = null;
        for (int i = 0; i < clients; i++) {
            WsClient c = WsClient.connect(TestGateways.wsUrl(gateway));
            epoch = c.subscribeSince(topic, null, 0).path("epoch").asText();
            first.add(c);
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
        try {
            Future<?> publisher = pool.submit(() -> {
                try (WsClient pub = WsClient.connect(TestGateways.wsUrl(gateway))) {
                    for (int i = 1; i <= total && !stop.get(); i++) {
                        pub.request("publish", "\"topic\":\"" + topic + "\",\"data\":{\"n\":" + i + "}");
                        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500)); // pacing, ~2000/s
                    }
                    pub.awaitReply(total + 0L, Duration.ofSeconds(30));
                }
                return null;
            });
            List<Future<List<Long>>> seen = new ArrayList<>();
            for (int k = 0; k < clients; k++) {
                WsClient c = first.get(k);
                String e = epoch;
                int hop = 37 + 11 * k;
                seen.add(pool.submit(() -> hopAround(c, topic, e, total, hop)));
            }
            for (Future<List<Long>> f : seen) {
                List<Long> got = f.get(60, TimeUnit.SECONDS);
                assertEquals(total, got.size(), "every message exactly once");
                for (int i = 0; i < total; i++) {
                    assertEquals(i + 1, got.get(i), "offsets rise by one across reconnects (no gap, no duplicate)");
                }
            }
            publisher.get(30, TimeUnit.SECONDS);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    /** Reads messages, reconnecting with {@code since} every {@code hop} messages, until {@code total}. */
    private static List<Long> hopAround(WsClient firstClient, String topic, String epoch, int total, int hop)
            throws Exception {
        List<Long> got = new ArrayList<>();
        WsClient c = firstClient;
        long last = 0;
        int reconnects = 0;
        try {
            while (last < total) {
                JsonNode m = c.poll(Duration.ofSeconds(10));
                if (m == null || !m.path("op").asText().equals("message")) {
                    throw new AssertionError("after " + last + " (" + got.size() + " messages, " + reconnects
                            + " reconnects): " + m);
                }
                last = m.path("seq").asLong();
                got.add(last);
                if (got.size() % hop == 0 && last < total) {
                    c.close();
                    c = WsClient.connect(TestGateways.wsUrl(gateway));
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
    void pipelinedAnswersComeInRequestOrder() throws Exception {
        try (RawWebSocket ws = new RawWebSocket(gateway.port(), "/ws")) {
            assertEquals("connected", JSON.readTree(ws.readFrame(WsClient.WAIT).text()).path("op").asText());
            ws.sendTexts("{\"op\":\"publish\",\"id\":1,\"topic\":\"chat.order\",\"data\":1}",
                    "{\"op\":\"ping\",\"id\":2}",
                    "{\"op\":\"publish\",\"id\":3,\"topic\":\"chat.order\",\"data\":2}",
                    "{\"op\":\"unsubscribe\",\"id\":4,\"topic\":\"chat.order\"}",
                    "{\"op\":\"ping\",\"id\":5}");
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(JSON.readTree(ws.readFrame(WsClient.WAIT).text()).path("id").asLong());
            }
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids);
        }
    }

    private static void publish(String topic, int n) throws Exception {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"topic\":\"").append(topic).append("\",\"data\":{\"n\":")
                    .append(nextN(topic)).append("}}");
        }
        HttpResponse<String> r = Http.publish(TestGateways.httpUrl(gateway), sb.append(']').toString());
        assertEquals(200, r.statusCode(), r.body());
    }

    private static final Map<String, Integer> COUNTERS = new java.util.concurrent.ConcurrentHashMap<>();

    private static int nextN(String topic) {
        return COUNTERS.merge(topic, 1, Integer::sum);
    }

    private static JsonNode history(String topic, String query) {
        try {
            HttpResponse<String> r = Http.get(TestGateways.httpUrl(gateway) + "/api/history?topic=" + topic + query,
                    TestGateways.API_KEY);
            assertEquals(200, r.statusCode(), r.body());
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theHistoryEndpointAnswersPositionAndMessages() throws Exception {
        String topic = "chat.api";
        publish(topic, 4);
        JsonNode all = history(topic, "");
        assertEquals(4, all.path("seq").asLong());
        assertEquals(4, all.path("messages").size());
        assertEquals(1, all.path("messages").path(0).path("seq").asLong());
        assertEquals(1, all.path("messages").path(0).path("data").path("n").asInt());
        assertFalse(all.has("recovered"));
        JsonNode after = history(topic, "&since=2&epoch=" + all.path("epoch").asText());
        assertTrue(after.path("recovered").asBoolean());
        assertEquals(2, after.path("messages").size());
        assertEquals(3, after.path("messages").path(0).path("seq").asLong());
        JsonNode limited = history(topic, "&limit=2");
        assertEquals(List.of(3L, 4L), List.of(limited.path("messages").path(0).path("seq").asLong(),
                limited.path("messages").path(1).path("seq").asLong()), "the newest two: " + limited);
        JsonNode otherEpoch = history(topic, "&since=2&epoch=nope");
        assertFalse(otherEpoch.path("recovered").asBoolean(true));
        assertEquals(0, otherEpoch.path("messages").size());
        HttpResponse<String> noKey = Http.get(TestGateways.httpUrl(gateway) + "/api/history?topic=" + topic);
        assertEquals(401, noKey.statusCode());
        HttpResponse<String> bad = Http.get(TestGateways.httpUrl(gateway) + "/api/history?topic=" + topic
                + "&since=x", TestGateways.API_KEY);
        assertEquals(400, bad.statusCode());
    }
}
