package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.RedisServerExtension;
import dev.pushgate.gateway.testing.SseClient;
import dev.pushgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No sticky sessions: with two nodes on one Redis, long-polls alternating between the nodes, and an SSE stream
 * resumed on the other node, lose and duplicate nothing while a publisher keeps publishing.
 */
class RedisFallbackTransportsTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final String PREFIX = RedisServerExtension.uniquePrefix("fallback");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int COUNT = 60;
    private static Gateway node1;
    private static Gateway node2;

    @BeforeAll
    static void start() {
        Map<String, String> cfg = new HashMap<>(REDIS.gatewayConfig(PREFIX));
        cfg.put("poll.timeout", "500ms");
        node1 = TestGateways.start(cfg);
        node2 = TestGateways.start(cfg);
    }

    @AfterAll
    static void stop() {
        node1.close();
        node2.close();
    }

    @Test
    void pollsAlternatingBetweenNodesLoseAndDuplicateNothing() throws Exception {
        String topic = "chat.alternate";
        String since = poll(node1, topic, null).path("since").asText();
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<?> publisher = ex.submit(() -> {
                for (int i = 1; i <= COUNT; i++) {
                    publishOne(i % 2 == 0 ? node1 : node2, topic, i);
                }
                return null;
            });
            List<Long> seen = new ArrayList<>();
            long deadline = System.nanoTime() + 30_000_000_000L;
            int turn = 0;
            while (seen.size() < COUNT && System.nanoTime() < deadline) {
                JsonNode r = poll(turn++ % 2 == 0 ? node2 : node1, topic, since);
                for (JsonNode m : r.path("messages")) {
                    assertEquals("message", m.path("op").asText(), m.toString());
                    seen.add(m.path("seq").asLong());
                    assertEquals(seen.size(), m.path("data").path("n").asInt(), "in order, once: " + seen);
                }
                since = r.path("since").asText();
            }
            publisher.get();
            assertEquals(COUNT, seen.size(), "all of them: " + seen);
            for (int i = 0; i < COUNT; i++) {
                assertEquals(i + 1, seen.get(i));
            }
            assertTrue(turn > 2, "several polls: " + turn);
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void anSseStreamResumesOnTheOtherNode() throws Exception {
        String topic = "chat.sse-other-node";
        String lastId;
        try (SseClient s = SseClient.open(TestGateways.httpUrl(node1) + "/sse?topic=" + topic)) {
            s.next();
            publishOne(node1, topic, 1);
            lastId = s.next().lastId();
        }
        publishOne(node1, topic, 2);
        publishOne(node2, topic, 3);
        try (SseClient s = SseClient.open(TestGateways.httpUrl(node2) + "/sse?topic=" + topic, "Last-Event-ID", lastId)) {
            assertTrue(s.next().data().path("recovered").asBoolean());
            assertEquals(2, s.next().data().path("data").path("n").asInt());
            assertEquals(3, s.next().data().path("data").path("n").asInt());
            publishOne(node1, topic, 4);
            assertEquals(4, s.next().data().path("data").path("n").asInt());
        }
    }

    private static void publishOne(Gateway g, String topic, int n) throws Exception {
        HttpResponse<String> r = Http.publish(TestGateways.httpUrl(g),
                "{\"topic\":\"" + topic + "\",\"data\":{\"n\":" + n + "}}");
        assertEquals(200, r.statusCode(), r.body());
    }

    private static JsonNode poll(Gateway g, String topic, String since) throws Exception {
        HttpResponse<String> r = Http.get(TestGateways.httpUrl(g) + "/poll?topic=" + topic
                + (since == null ? "" : "&since=" + URLEncoder.encode(since, StandardCharsets.UTF_8)));
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
