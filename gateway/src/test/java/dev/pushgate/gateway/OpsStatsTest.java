package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.RedisServerExtension;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.TestTokens;
import dev.pushgate.gateway.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/stats} on one node and across two Redis nodes, the stats topic over WebSocket, and the rules of the
 * reserved {@code pushgate} namespace.
 */
class OpsStatsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PUBLISH_ONLY = "publish-only-key:publish";

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private static HttpResponse<String> stats(Gateway g, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TestGateways.httpUrl(g) + "/api/stats"))
                .timeout(WAIT).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return Http.send(b.build());
    }

    /** Waits until {@code /api/stats} on {@code g} answers something {@code p} accepts; returns it. */
    private static JsonNode statsWhen(Gateway g, Predicate<JsonNode> p, String what) {
        JsonNode[] last = new JsonNode[1];
        Await.until(WAIT, () -> {
            try {
                HttpResponse<String> r = stats(g, TestGateways.API_KEY);
                assertEquals(200, r.statusCode(), r.body());
                last[0] = JSON.readTree(r.body());
                return p.test(last[0]);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, () -> what + "; last answer " + last[0]);
        return last[0];
    }

    private static JsonNode node(JsonNode stats, String id) {
        for (JsonNode n : stats.path("nodes")) {
            if (n.path("node").asText().equals(id)) {
                return n;
            }
        }
        return null;
    }

    private static Map<String, String> config(Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(Map.of("stats.interval", "200ms", "demos.enabled", "false",
                "api-key", TestGateways.API_KEY + "," + PUBLISH_ONLY));
        m.putAll(extra);
        return m;
    }

    @Test
    void statsNeedAKeyWithTheStatsScopeAndFollowTheNode() throws Exception {
        Gateway g = TestGateways.start(config(Map.of("node-id", "solo")));
        try {
            assertEquals(401, stats(g, null).statusCode());
            assertEquals(403, stats(g, "publish-only-key").statusCode());
            assertEquals(401, stats(g, "wrong-key-123456").statusCode());
            JsonNode idle = statsWhen(g, s -> node(s, "solo") != null, "own node listed");
            assertEquals("solo", idle.path("node").asText());
            assertEquals(1, idle.path("totals").path("nodes").asInt());
            JsonNode self = node(idle, "solo");
            assertEquals("memory", self.path("layer").asText());
            assertTrue(self.path("ready").asBoolean());
            assertEquals(200, self.path("interval_ms").asInt());
            try (WsClient c = WsClient.connect(TestGateways.wsUrl(g))) {
                c.subscribe("news.rates");
                statsWhen(g, s -> node(s, "solo").path("connections").asInt() == 1
                        && node(s, "solo").path("subscriptions").asInt() == 1
                        && node(s, "solo").path("topics").asInt() == 1, "one connection, subscription and topic");
                for (int i = 0; i < 20; i++) {
                    assertEquals(200, Http.publish(TestGateways.httpUrl(g),
                            "{\"topic\":\"news.rates\",\"data\":" + i + "}").statusCode());
                }
                for (int i = 0; i < 20; i++) {
                    c.nextMessage();
                }
                JsonNode busy = statsWhen(g, s -> node(s, "solo").path("messages_out_per_second").asDouble() > 0
                        && node(s, "solo").path("messages_in_per_second").asDouble() > 0, "rates above zero");
                assertTrue(node(busy, "solo").path("bytes_out_per_second").asDouble() > 0);
                assertTrue(busy.path("totals").path("messages_out_per_second").asDouble() > 0);
            }
            statsWhen(g, s -> node(s, "solo").path("connections").asInt() == 0, "connection gone");
        } finally {
            g.close();
        }
    }

    @Test
    void everyRedisNodeSeesEveryOtherAndForgetsOneThatStops() throws Exception {
        String prefix = RedisServerExtension.uniquePrefix("stats");
        Map<String, String> redis = REDIS.gatewayConfig(prefix);
        Gateway one = TestGateways.start(config(with(redis, "node-id", "node-one")));
        Gateway two = TestGateways.start(config(with(redis, "node-id", "node-two")));
        try (WsClient c = WsClient.connect(TestGateways.wsUrl(two))) {
            JsonNode both = statsWhen(one, s -> node(s, "node-two") != null
                    && node(s, "node-two").path("connections").asInt() == 1, "node two seen by node one");
            assertEquals("redis", node(both, "node-two").path("layer").asText());
            assertEquals(2, both.path("totals").path("nodes").asInt());
            assertEquals(1, both.path("totals").path("connections").asInt());
            statsWhen(two, s -> node(s, "node-one") != null, "node one seen by node two");
            // The stats topic is taken once per node, whatever the hub does with it.
            assertEquals(2, REDIS.numsub(dev.pushgate.protocol.RedisWire.channel(prefix, "pushgate.stats")));
        } finally {
            two.close();
        }
        try {
            statsWhen(one, s -> node(s, "node-two") == null && s.path("nodes").size() == 1,
                    "node two forgotten after three intervals");
        } finally {
            one.close();
        }
    }

    @Test
    void theStatsTopicIsClosedToClientsUnlessTheAdminPageIsEnabled() throws Exception {
        Gateway off = TestGateways.start(config(Map.of("namespaces.pushgate.publish", "true")));
        try (WsClient c = WsClient.connect(TestGateways.wsUrl(off))) {
            long id = c.request("subscribe", "\"topic\":\"pushgate.stats\"");
            assertEquals("forbidden", c.awaitReply(id).path("code").asText());
            // Even a namespace policy that lets clients publish does not open the gateway's own namespace.
            assertEquals("forbidden", c.publish("pushgate.stats", "{\"node\":\"fake\"}").path("code").asText());
            HttpResponse<String> r = Http.publish(TestGateways.httpUrl(off), "{\"topic\":\"pushgate.x\",\"data\":1}");
            assertEquals(403, r.statusCode());
            assertTrue(r.body().contains("\"forbidden\""), r.body());
            assertEquals(404, Http.get(TestGateways.httpUrl(off) + "/admin").statusCode());
            assertEquals(404, Http.get(TestGateways.httpUrl(off) + "/admin.html").statusCode());
        } finally {
            off.close();
        }

        Gateway open = TestGateways.start(config(Map.of("admin.enabled", "true", "node-id", "admin-node")));
        try (WsClient c = WsClient.connect(TestGateways.wsUrl(open))) {
            c.subscribe("pushgate.stats");
            JsonNode m = c.next(f -> f.path("op").asText().equals("message")
                    && f.path("data").path("connections").asInt() == 1);
            assertEquals("pushgate.stats", m.path("topic").asText());
            assertEquals("admin-node", m.path("data").path("node").asText());
            HttpResponse<String> page = Http.get(TestGateways.httpUrl(open) + "/admin");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("pushgate admin"));
            assertEquals(404, Http.get(TestGateways.httpUrl(open) + "/admin.html").statusCode());
        } finally {
            open.close();
        }

        Gateway tokens = TestGateways.start(config(Map.of("admin.enabled", "true",
                "auth.hmac-secret", TestTokens.SECRET)));
        try (WsClient anonymous = WsClient.connect(TestGateways.wsUrl(tokens));
             WsClient operator = WsClient.connect(TestGateways.wsUrl(tokens) + "?token=" + URLEncoder.encode(
                     TestTokens.hs256(TestTokens.claims("ops", 300L, "[\"pushgate.*\"]", null)), StandardCharsets.UTF_8))) {
            long id = anonymous.request("subscribe", "\"topic\":\"pushgate.stats\"");
            assertEquals("unauthorized", anonymous.awaitReply(id).path("code").asText());
            operator.subscribe("pushgate.stats");
            assertEquals("pushgate.stats", operator.nextMessage().path("topic").asText());
        } finally {
            tokens.close();
        }
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }
}
