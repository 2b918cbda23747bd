package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Subscribe, publish and unsubscribe over real sockets on one in-memory node. */
class PubSubTest {
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateways.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void twoSubscribersReceiveEveryMessageInOrder() throws Exception {
        try (WsClient a = WsClient.connect(TestGateways.wsUrl(gateway));
             WsClient b = WsClient.connect(TestGateways.wsUrl(gateway));
             WsClient pub = WsClient.connect(TestGateways.wsUrl(gateway))) {
            a.subscribe("chat.order");
            b.subscribe("chat.order");
            int n = 500;
            for (int i = 0; i < n; i++) {
                pub.request("publish", "\"topic\":\"chat.order\",\"data\":{\"i\":" + i + "}");
            }
            for (WsClient c : List.of(a, b)) {
                long lastSeq = 0;
                for (int i = 0; i < n; i++) {
                    JsonNode m = c.nextMessage();
                    assertEquals("chat.order", m.path("topic").asText());
                    assertEquals(i, m.path("data").path("i").asInt(), "message order");
                    long seq = m.path("seq").asLong();
                    assertEquals(lastSeq + 1, seq, "seq must rise by one");
                    lastSeq = seq;
                }
            }
        }
    }

    @Test
    void publisherGetsAckWithSeqAndOthersGetTheMessage() throws Exception {
        try (WsClient a = WsClient.connect(TestGateways.wsUrl(gateway));
             WsClient pub = WsClient.connect(TestGateways.wsUrl(gateway))) {
            a.subscribe("chat.room1");
            JsonNode ack = pub.publish("chat.room1", "{\"user\":\"ann\",\"text\":\"hi\"}");
            assertEquals("ack", ack.path("op").asText(), ack.toString());
            assertEquals(1, ack.path("seq").asLong());
            JsonNode m = a.nextMessage();
            assertEquals("hi", m.path("data").path("text").asText());
            assertEquals(1, m.path("seq").asLong());
        }
    }

    @Test
    void unsubscribeStopsDelivery() throws Exception {
        try (WsClient a = WsClient.connect(TestGateways.wsUrl(gateway));
             WsClient b = WsClient.connect(TestGateways.wsUrl(gateway))) {
            a.subscribe("chat.unsub");
            b.subscribe("chat.unsub");
            a.unsubscribe("chat.unsub");
            b.publish("chat.unsub", "1");
            assertEquals(1, b.nextMessage().path("data").asInt());
            // b got it, so the hub has delivered; a, unsubscribed before, must have nothing. A ping round trip on a
            // proves a's queue is drained past the delivery point.
            long id = a.request("ping", "");
            JsonNode next = a.next();
            assertEquals("pong", next.path("op").asText(), "a received something after unsubscribing: " + next);
            assertEquals(id, next.path("id").asLong());
        }
    }

    @Test
    void httpPublishReachesWebSocketSubscribers() throws Exception {
        try (WsClient a = WsClient.connect(TestGateways.wsUrl(gateway))) {
            a.subscribe("news.sports");
            HttpResponse<String> r = Http.publish(TestGateways.httpUrl(gateway),
                    "{\"topic\":\"news.sports\",\"data\":{\"score\":\"2-1\"}}");
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"seq\":1"), r.body());
            assertEquals("2-1", a.nextMessage().path("data").path("score").asText());

            HttpResponse<String> batch = Http.publish(TestGateways.httpUrl(gateway),
                    "[{\"topic\":\"news.sports\",\"data\":1},{\"topic\":\"news.sports\",\"data\":2}]");
            assertEquals(200, batch.statusCode(), batch.body());
            assertEquals(1, a.nextMessage().path("data").asInt());
            assertEquals(2, a.nextMessage().path("data").asInt());
        }
    }

    @Test
    void clientPublishOutsideAllowedNamespaceIsForbidden() throws Exception {
        try (WsClient a = WsClient.connect(TestGateways.wsUrl(gateway));
             WsClient pub = WsClient.connect(TestGateways.wsUrl(gateway))) {
            a.subscribe("news.locked");
            JsonNode err = pub.publish("news.locked", "{\"x\":1}");
            assertEquals("error", err.path("op").asText());
            assertEquals("forbidden", err.path("code").asText());
            assertNull(a.poll(Duration.ofMillis(300)), "a forbidden publish must not be delivered");
        }
    }

    @Test
    void subscribeIsIdempotentAndManyTopicsWork() throws Exception {
        try (WsClient a = WsClient.connect(TestGateways.wsUrl(gateway))) {
            a.subscribe("chat.same");
            a.subscribe("chat.same");
            List<String> topics = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                topics.add("chat.many" + i);
                a.subscribe("chat.many" + i);
            }
            for (String t : topics) {
                a.publish(t, "\"" + t + "\"");
            }
            for (String t : topics) {
                assertEquals(t, a.nextMessage().path("data").asText());
            }
            a.publish("chat.same", "0");
            assertEquals(0, a.nextMessage().path("data").asInt());
            assertNull(a.poll(Duration.ofMillis(200)), "double subscribe must not double deliver");
        }
    }
}
