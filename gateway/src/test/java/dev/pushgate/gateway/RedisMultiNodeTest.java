package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.RedisServerExtension;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.WsClient;
import dev.pushgate.protocol.RedisWire;
import io.lettuce.core.ScriptOutputType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two nodes on one Redis act as one gateway: every publisher reaches every subscriber, in one order per topic. */
class RedisMultiNodeTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final String PREFIX = RedisServerExtension.uniquePrefix("multi");
    private static Gateway node1;
    private static Gateway node2;

    @BeforeAll
    static void start() {
        node1 = TestGateways.start(REDIS.gatewayConfig(PREFIX));
        node2 = TestGateways.start(REDIS.gatewayConfig(PREFIX));
    }

    @AfterAll
    static void stop() {
        node1.close();
        node2.close();
    }

    @Test
    void everyKindOfPublisherReachesSubscribersOnBothNodes() throws Exception {
        String topic = "chat.multi";
        try (WsClient a = WsClient.connect(TestGateways.wsUrl(node1));
             WsClient b = WsClient.connect(TestGateways.wsUrl(node2));
             WsClient pub1 = WsClient.connect(TestGateways.wsUrl(node1));
             WsClient pub2 = WsClient.connect(TestGateways.wsUrl(node2))) {
            a.subscribe(topic);
            b.subscribe(topic);

            JsonNode ack = pub1.publish(topic, "{\"via\":\"ws1\"}");
            assertEquals("ack", ack.path("op").asText(), ack.toString());
            assertEquals(1, ack.path("seq").asLong());
            expect(List.of(a, b), 1, "{\"via\":\"ws1\"}");

            assertEquals(2, pub2.publish(topic, "{\"via\":\"ws2\"}").path("seq").asLong());
            expect(List.of(a, b), 2, "{\"via\":\"ws2\"}");

            HttpResponse<String> r = Http.publish(TestGateways.httpUrl(node2),
                    "{\"topic\":\"" + topic + "\",\"data\":{\"via\":\"http\"}}");
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"seq\":3"), r.body());
            expect(List.of(a, b), 3, "{\"via\":\"http\"}");

            // A backend with any Redis client: a plain PUBLISH is delivered without seq ...
            String channel = RedisWire.channel(PREFIX, topic);
            assertEquals("pushgate:topic:chat.multi", RedisWire.channel("pushgate:", topic));
            assertEquals(2, REDIS.redis().publish(channel, "{\"data\":{\"via\":\"redis\"}}"));
            expect(List.of(a, b), -1, "{\"via\":\"redis\"}");

            // ... and the publish script sequences it like the gateway does.
            List<Object> position = REDIS.redis().eval(RedisWire.PUBLISH_SCRIPT, ScriptOutputType.MULTI,
                    new String[] {RedisWire.metaKey(PREFIX, topic), RedisWire.streamKey(PREFIX, topic)}, channel,
                    "{\"via\":\"script\"}", "0", "0", Long.toString(RedisWire.META_TTL_MILLIS));
            assertEquals(4L, position.get(0));
            expect(List.of(a, b), 4, "{\"via\":\"script\"}");
        }
    }

    @Test
    void everyNodeSeesOneTopicInTheSameOrder() throws Exception {
        String topic = "chat.order";
        int perPublisher = 100;
        List<WsClient> subscribers = new ArrayList<>();
        try (WsClient wsPublisher = WsClient.connect(TestGateways.wsUrl(node2))) {
            for (Gateway node : List.of(node1, node1, node2, node2)) {
                WsClient c = WsClient.connect(TestGateways.wsUrl(node));
                subscribers.add(c);
                c.subscribe(topic);
            }
            // Two publishers at once: a batch over HTTP on node 1, single frames over WebSocket on node 2.
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < perPublisher; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"topic\":\"").append(topic)
                        .append("\",\"data\":{\"http\":").append(i).append("}}");
            }
            CompletableFuture<HttpResponse<String>> http = CompletableFuture.supplyAsync(() -> {
                try {
                    return Http.publish(TestGateways.httpUrl(node1), batch.append("]").toString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int i = 0; i < perPublisher; i++) {
                wsPublisher.request("publish", "\"topic\":\"" + topic + "\",\"data\":{\"ws\":" + i + "}");
            }
            assertEquals(200, http.get().statusCode(), http.get().body());

            List<String> reference = null;
            for (WsClient c : subscribers) {
                List<String> seen = new ArrayList<>();
                long lastSeq = 0;
                int nextHttp = 0;
                int nextWs = 0;
                for (int i = 0; i < 2 * perPublisher; i++) {
                    JsonNode m = c.nextMessage();
                    long seq = m.path("seq").asLong();
                    assertEquals(lastSeq + 1, seq, "seq rises by one on every node");
                    lastSeq = seq;
                    JsonNode data = m.path("data");
                    if (data.has("http")) {
                        assertEquals(nextHttp++, data.path("http").asInt(), "one publisher's order holds");
                    } else {
                        assertEquals(nextWs++, data.path("ws").asInt(), "one publisher's order holds");
                    }
                    seen.add(seq + ":" + data);
                }
                if (reference == null) {
                    reference = seen;
                } else {
                    assertEquals(reference, seen, "every subscriber on every node sees the same order");
                }
            }
        } finally {
            subscribers.forEach(WsClient::close);
        }
    }

    @Test
    void malformedChannelMessagesAreCountedAndDropped() throws Exception {
        String topic = "news.malformed";
        try (WsClient a = WsClient.connect(TestGateways.wsUrl(node1))) {
            a.subscribe(topic);
            String channel = RedisWire.channel(PREFIX, topic);
            REDIS.redis().publish(channel, "not json");
            REDIS.redis().publish(channel, "{\"seq\":1}");
            REDIS.redis().publish(channel, "{\"data\":\"fine\"}");
            JsonNode m = a.nextMessage();
            assertEquals("fine", m.path("data").asText());
            assertFalse(m.has("seq"));
            Await.until(Duration.ofSeconds(5), () -> metric(node1, "pushgate_redis_messages_malformed_total") >= 2,
                    () -> "malformed messages counted");
        }
    }

    private static void expect(List<WsClient> clients, long seq, String data) throws InterruptedException {
        for (WsClient c : clients) {
            JsonNode m = c.nextMessage();
            assertEquals(data, m.path("data").toString(), m.toString());
            assertEquals(seq, m.has("seq") ? m.path("seq").asLong() : -1, m.toString());
        }
    }

    /** The value of an untagged meter on {@code /metrics}, or -1. */
    static double metric(Gateway node, String name) {
        try {
            for (String line : Http.get(TestGateways.httpUrl(node) + "/metrics").body().split("\n")) {
                if (line.startsWith(name + " ")) {
                    return Double.parseDouble(line.substring(name.length() + 1).trim());
                }
            }
            return -1;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
