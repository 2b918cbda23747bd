package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.RedisServerExtension;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.WsClient;
import dev.pushgate.protocol.RedisWire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * One Redis subscription per topic per node: taken by the first local subscriber, released by the last, never one
 * for a topic without local subscribers, and right after heavy subscribe/unsubscribe churn.
 */
class RedisSubscriptionAccountingTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final String PREFIX = RedisServerExtension.uniquePrefix("accounting");
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
    void hundredLocalSubscribersShareOneRedisSubscription() throws Exception {
        String topic = "news.crowd";
        String channel = RedisWire.channel(PREFIX, topic);
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                WsClient c = WsClient.connect(TestGateways.wsUrl(node1));
                clients.add(c);
                c.subscribe(topic);
            }
            assertEquals(1, REDIS.numsub(channel), "one subscription for 100 local subscribers");
            assertEquals(0, REDIS.redis().pubsubNumpat(), "patterns are never used");
            assertEquals(200, Http.publish(TestGateways.httpUrl(node2),
                    "{\"topic\":\"" + topic + "\",\"data\":\"hello\"}").statusCode());
            for (WsClient c : clients) {
                assertEquals("hello", c.nextMessage().path("data").asText());
            }
            for (int i = 0; i < clients.size(); i++) {
                if (i % 2 == 0) {
                    clients.get(i).unsubscribe(topic);
                } else {
                    clients.get(i).close(); // leaving by disconnect counts the same
                }
            }
            Await.until(WAIT, () -> REDIS.numsub(channel) == 0, () -> "numsub " + REDIS.numsub(channel));
            Await.until(WAIT, () -> node1.hub().topicCount() == 0, () -> "hub topics " + node1.hub().topicCount());
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    @Test
    void aTopicWithoutLocalSubscribersNeverReachesTheNode() throws Exception {
        String only1 = "news.only1";
        String only2 = "news.only2";
        try (WsClient a = WsClient.connect(TestGateways.wsUrl(node1));
             WsClient b = WsClient.connect(TestGateways.wsUrl(node2))) {
            a.subscribe(only1);
            b.subscribe(only2);
            // Exactly one connection each: node 2 holds no subscription to only1 (and node 1 none to only2), so
            // Redis never sends it there.
            assertEquals(1, REDIS.numsub(RedisWire.channel(PREFIX, only1)));
            assertEquals(1, REDIS.numsub(RedisWire.channel(PREFIX, only2)));
            double node2Out = RedisMultiNodeTest.metric(node2, "pushgate_messages_out_total");
            for (int i = 0; i < 20; i++) {
                assertEquals(200, Http.publish(TestGateways.httpUrl(node2),
                        "{\"topic\":\"" + only1 + "\",\"data\":" + i + "}").statusCode());
            }
            for (int i = 0; i < 20; i++) {
                assertEquals(i, a.nextMessage().path("data").asInt());
            }
            assertEquals(node2Out, RedisMultiNodeTest.metric(node2, "pushgate_messages_out_total"));
            assertNull(b.poll(Duration.ofMillis(200)), "nothing for node 2's subscriber");
        }
    }

    @Test
    void subscribeChurnFromManyClientsEndsInTheRightRedisState() throws Exception {
        String topic = "news.churn";
        String channel = RedisWire.channel(PREFIX, topic);
        int clientsCount = 50;
        int rounds = 20;
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < clientsCount; i++) {
                clients.add(WsClient.connect(TestGateways.wsUrl(node1))); // spread over node 1's two event loops
            }
            // Every client fires its whole sequence without waiting; even clients end subscribed, odd ones not.
            long[] last = new long[clientsCount];
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < clientsCount; i++) {
                    WsClient c = clients.get(i);
                    c.request("subscribe", "\"topic\":\"" + topic + "\"");
                    boolean finalRound = r == rounds - 1;
                    if (!(finalRound && i % 2 == 0)) {
                        last[i] = c.request("unsubscribe", "\"topic\":\"" + topic + "\"");
                    } else {
                        last[i] = c.request("subscribe", "\"topic\":\"" + topic + "\"");
                    }
                }
            }
            for (int i = 0; i < clientsCount; i++) {
                JsonNode reply = clients.get(i).awaitReply(last[i]);
                assertEquals("ack", reply.path("op").asText(), reply.toString());
            }
            Await.until(WAIT, () -> REDIS.numsub(channel) == 1, () -> "numsub " + REDIS.numsub(channel));
            assertEquals(200, Http.publish(TestGateways.httpUrl(node2),
                    "{\"topic\":\"" + topic + "\",\"data\":\"after churn\"}").statusCode());
            for (int i = 0; i < clientsCount; i += 2) {
                assertEquals("after churn", clients.get(i).nextMessage().path("data").asText(), "client " + i);
            }

            // Churn again, everyone ends unsubscribed: the subscription is released.
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < clientsCount; i++) {
                    WsClient c = clients.get(i);
                    c.request("subscribe", "\"topic\":\"" + topic + "\"");
                    last[i] = c.request("unsubscribe", "\"topic\":\"" + topic + "\"");
                }
            }
            for (int i = 0; i < clientsCount; i++) {
                clients.get(i).awaitReply(last[i]);
            }
            Await.until(WAIT, () -> REDIS.numsub(channel) == 0, () -> "numsub " + REDIS.numsub(channel));
            for (int i = 1; i < clientsCount; i += 2) {
                WsClient c = clients.get(i);
                JsonNode m = c.poll(Duration.ZERO);
                while (m != null) {
                    assertEquals("ack", m.path("op").asText(), "odd clients ended unsubscribed: " + m);
                    m = c.poll(Duration.ZERO);
                }
            }
        } finally {
            clients.forEach(WsClient::close);
        }
    }
}
