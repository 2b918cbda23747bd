package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.RedisServerExtension;
import dev.pushgate.gateway.testing.StallingProxy;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node whose pub/sub link is open but delivers nothing (a stalled proxy between it and Redis): the liveness probe
 * notices, {@code /readyz} answers 503 while the link is broken, publishing through the node keeps working (it never
 * depended on the subscriptions), and after the link heals the node is ready and delivering again.
 */
class RedisStalledLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    @Test
    void aStalledLinkIsNotReadyButStillPublishes() throws Exception {
        try (StallingProxy proxy = new StallingProxy(REDIS.port())) {
            Map<String, String> config = REDIS.gatewayConfig(RedisServerExtension.uniquePrefix("stall"));
            config.put("redis.uri", proxy.uri());
            config.put("redis.probe-interval", "200ms");
            Gateway node = TestGateways.start(config);
            try (WsClient subscriber = WsClient.connect(TestGateways.wsUrl(node));
                 WsClient publisher = WsClient.connect(TestGateways.wsUrl(node))) {
                String topic = "chat.stall";
                subscriber.subscribe(topic);
                assertEquals("ack", publisher.publish(topic, "\"before\"").path("op").asText());
                assertEquals("before", subscriber.nextMessage().path("data").asText());
                assertEquals(200, status(node));

                proxy.stallSubscribers(true);
                Await.until(WAIT, () -> status(node) == 503, () -> "readyz not 503 with a stalled link");
                assertTrue(RedisMultiNodeTest.metric(node, "pushgate_redis_probe_failures_total") >= 1);
                HttpResponse<String> http = Http.publish(TestGateways.httpUrl(node),
                        "{\"topic\":\"" + topic + "\",\"data\":\"during\"}");
                assertEquals(200, http.statusCode(), "publishing does not wait for subscriptions: " + http.body());
                JsonNode ack = publisher.publish(topic, "\"during-ws\"");
                assertEquals("ack", ack.path("op").asText(), ack.toString());

                proxy.stallSubscribers(false);
                Await.until(WAIT, () -> status(node) == 200, () -> "readyz not 200 after the link healed");
                assertEquals("ack", publisher.publish(topic, "\"after\"").path("op").asText());
                assertNotNull(awaitData(subscriber, "after"), "delivering again");
                assertFalse(subscriber.isClosed(), "the subscriber stayed connected");
            } finally {
                node.close();
            }
        }
    }

    /** The first message with {@code data}, skipping others (what the link missed is the hub's business). */
    private static JsonNode awaitData(WsClient c, String data) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode m = c.poll(Duration.ofMillis(200));
            if (m != null && data.equals(m.path("data").asText())) {
                return m;
            }
        }
        return null;
    }

    private static int status(Gateway g) {
        try {
            return Http.get(TestGateways.httpUrl(g) + "/readyz").statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
