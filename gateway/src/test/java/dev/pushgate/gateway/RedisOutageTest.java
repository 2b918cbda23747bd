package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.RedisServerExtension;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis restarted under two nodes: clients stay connected, publishing answers {@code unavailable} (never a false
 * ok), {@code /readyz} says 503, and delivery resumes after the restart with no client action.
 */
class RedisOutageTest {
    private static final Logger log = LoggerFactory.getLogger(RedisOutageTest.class);
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final String PREFIX = RedisServerExtension.uniquePrefix("outage");
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
    void clientsRideOutARedisRestart() throws Exception {
        String topic = "chat.outage";
        try (WsClient a = WsClient.connect(TestGateways.wsUrl(node1));
             WsClient b = WsClient.connect(TestGateways.wsUrl(node2));
             WsClient publisher = WsClient.connect(TestGateways.wsUrl(node1))) {
            a.subscribe(topic);
            b.subscribe(topic);
            assertEquals("ack", publisher.publish(topic, "\"before\"").path("op").asText());
            for (WsClient c : List.of(a, b)) {
                assertEquals("before", c.nextMessage().path("data").asText());
            }

            REDIS.stop();
            for (Gateway g : List.of(node1, node2)) {
                Await.until(Duration.ofSeconds(10), () -> status(g, "/readyz") == 503, () -> "readyz not 503");
            }
            JsonNode refused = publisher.publish(topic, "\"during\"");
            assertEquals("error", refused.path("op").asText(), refused.toString());
            assertEquals("unavailable", refused.path("code").asText());
            HttpResponse<String> http = Http.publish(TestGateways.httpUrl(node2),
                    "{\"topic\":\"" + topic + "\",\"data\":\"during\"}");
            assertEquals(503, http.statusCode(), http.body());
            assertTrue(http.body().contains("\"unavailable\""), http.body());
            JsonNode subscribe = publisher.awaitReply(publisher.request("subscribe", "\"topic\":\"chat.new\""));
            assertEquals("unavailable", subscribe.path("code").asText(), subscribe.toString());
            assertEquals(503, presenceStatus(node1, topic));
            assertNull(a.poll(Duration.ofMillis(100)), "nothing was published");
            assertFalse(a.isClosed() || b.isClosed() || publisher.isClosed(), "clients stay connected");

            long restarted = System.nanoTime();
            REDIS.start();
            for (Gateway g : List.of(node1, node2)) {
                Await.until(Duration.ofSeconds(10), () -> status(g, "/readyz") == 200, () -> "readyz not 200");
            }
            long readyMillis = (System.nanoTime() - restarted) / 1_000_000;
            HttpResponse<String> after = Http.publish(TestGateways.httpUrl(node2),
                    "{\"topic\":\"" + topic + "\",\"data\":\"after\"}");
            assertEquals(200, after.statusCode(), after.body());
            for (WsClient c : List.of(a, b)) {
                JsonNode m = c.nextMessage();
                assertEquals("after", m.path("data").asText(), m.toString());
                assertEquals(1, m.path("seq").asLong(), "the counter died with the unpersisted Redis");
            }
            assertEquals("ack", publisher.publish(topic, "\"again\"").path("op").asText());
            for (Gateway g : List.of(node1, node2)) {
                assertTrue(RedisMultiNodeTest.metric(g, "pushgate_redis_outages_total") >= 1);
                assertTrue(RedisMultiNodeTest.metric(g, "pushgate_redis_resubscribes_total") >= 1);
            }
            log.info("measured: ready again millis={} after redis accepted connections; resubscribe millis={}",
                    readyMillis, 1000 * RedisMultiNodeTest.metric(node1, "pushgate_redis_resubscribe_duration_seconds_max"));
        }
    }

    private static int status(Gateway g, String path) {
        try {
            return Http.get(TestGateways.httpUrl(g) + path).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int presenceStatus(Gateway g, String topic) throws Exception {
        return Http.send(HttpRequest.newBuilder(URI.create(TestGateways.httpUrl(g) + "/api/presence?topic=" + topic))
                .header("Authorization", "Bearer " + TestGateways.API_KEY).GET().build()).statusCode();
    }
}
