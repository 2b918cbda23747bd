package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of bad input gets its documented answer while the node and other clients carry on. */
class BadInputTest {
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateways.start(Map.of("ws.max-frame-size", "1KiB", "ws.max-message-size", "4KiB",
                "limits.max-subscriptions", "3", "http.max-body-size", "2KiB"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "not json at all|bad_request",
            "[1,2,3]|bad_request",
            "{\"op\":\"subscribe\",\"id\":7|bad_request",
            "{\"op\":\"launch\",\"id\":7}|unknown_op",
            "{\"id\":7,\"topic\":\"chat.a\"}|bad_request",
            "{\"op\":\"subscribe\",\"id\":7}|bad_request",
            "{\"op\":\"publish\",\"id\":7,\"topic\":\"chat.a\"}|bad_request",
            "{\"op\":\"subscribe\",\"id\":7,\"topic\":42}|bad_request",
            "{\"op\":42,\"id\":7}|bad_request",
            "{\"op\":\"subscribe\",\"id\":\"7\",\"topic\":\"a\"}|bad_request",
            "{\"op\":\"subscribe\",\"id\":7,\"topic\":\"bad topic\"}|invalid_topic",
            "{\"op\":\"subscribe\",\"id\":7,\"topic\":\".lead\"}|invalid_topic",
            "{\"op\":\"subscribe\",\"id\":7,\"topic\":\"\"}|invalid_topic",
            "{\"op\":\"publish\",\"id\":7,\"topic\":\"x<y\",\"data\":1}|invalid_topic"})
    void badFramesGetErrorFramesAndTheConnectionStays(String frame, String code) throws Exception {
        try (WsClient c = WsClient.connect(TestGateways.wsUrl(gateway))) {
            c.sendText(frame);
            JsonNode err = c.next();
            assertEquals("error", err.path("op").asText(), err.toString());
            assertEquals(code, err.path("code").asText(), err.toString());
            assertFalse(err.path("message").asText().isEmpty());
            // Still usable afterwards.
            c.subscribe("chat.after");
            assertFalse(c.isClosed());
        }
    }

    @Test
    void errorEchoesTheRequestId() throws Exception {
        try (WsClient c = WsClient.connect(TestGateways.wsUrl(gateway))) {
            c.sendText("{\"op\":\"launch\",\"id\":99}");
            assertEquals(99, c.next().path("id").asLong());
        }
    }

    @Test
    void tooManySubscriptions() throws Exception {
        try (WsClient c = WsClient.connect(TestGateways.wsUrl(gateway))) {
            c.subscribe("chat.s1");
            c.subscribe("chat.s2");
            c.subscribe("chat.s3");
            long id = c.request("subscribe", "\"topic\":\"chat.s4\"");
            assertEquals("too_many_subscriptions", c.awaitReply(id).path("code").asText());
        }
    }

    @Test
    void oversizedFrameClosesWith1009AndOthersCarryOn() throws Exception {
        try (WsClient bystander = WsClient.connect(TestGateways.wsUrl(gateway));
             WsClient c = WsClient.connect(TestGateways.wsUrl(gateway))) {
            bystander.subscribe("chat.bystander");
            c.sendText("{\"op\":\"publish\",\"topic\":\"chat.x\",\"data\":\"" + "x".repeat(2000) + "\"}");
            assertEquals(1009, c.awaitClose());
            JsonNode ack = bystander.publish("chat.bystander", "1");
            assertEquals("ack", ack.path("op").asText());
            assertEquals(1, bystander.nextMessage().path("data").asInt());
        }
    }

    @Test
    void binaryFrameClosesWith1003() throws Exception {
        try (WsClient c = WsClient.connect(TestGateways.wsUrl(gateway))) {
            c.sendBinary(new byte[] {1, 2, 3});
            assertEquals(1003, c.awaitClose());
        }
    }

    @Test
    void plainGetOnWebSocketPathIs426() throws Exception {
        HttpResponse<String> r = Http.get(TestGateways.httpUrl(gateway) + "/ws");
        assertEquals(426, r.statusCode());
        assertTrue(r.body().contains("\"code\":\"bad_request\""), r.body());
    }

    @Test
    void unknownPathIs404() throws Exception {
        HttpResponse<String> r = Http.get(TestGateways.httpUrl(gateway) + "/no/such/thing");
        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("\"code\":\"not_found\""), r.body());
    }

    @Test
    void wrongMethodIs405() throws Exception {
        HttpResponse<String> r = Http.get(TestGateways.httpUrl(gateway) + "/api/publish");
        assertEquals(405, r.statusCode());
        assertTrue(r.body().contains("\"code\":\"method_not_allowed\""), r.body());
        HttpResponse<String> health = Http.send(HttpRequest.newBuilder(
                URI.create(TestGateways.httpUrl(gateway) + "/healthz")).DELETE().build());
        assertEquals(405, health.statusCode());
    }

    @Test
    void publishWithoutOrWithWrongKeyIs401() throws Exception {
        String url = TestGateways.httpUrl(gateway) + "/api/publish";
        String body = "{\"topic\":\"news.a\",\"data\":1}";
        assertEquals(401, Http.post(url, null, "application/json", body).statusCode());
        HttpResponse<String> wrong = Http.post(url, "wrong-key-123456", "application/json", body);
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("\"code\":\"unauthorized\""), wrong.body());
    }

    @Test
    void publishBodyErrors() throws Exception {
        String url = TestGateways.httpUrl(gateway) + "/api/publish";
        String key = TestGateways.API_KEY;
        assertEquals(415, Http.post(url, key, "text/plain", "{\"topic\":\"a\",\"data\":1}").statusCode());
        assertEquals(400, Http.post(url, key, "application/json", "{nope").statusCode());
        assertEquals(400, Http.post(url, key, "application/json", "{\"topic\":\"a b\",\"data\":1}").statusCode());
        assertEquals(400, Http.post(url, key, "application/json", "{\"data\":1}").statusCode());
        assertEquals(400, Http.post(url, key, "application/json", "[]").statusCode());
        HttpResponse<String> big = Http.post(url, key, "application/json",
                "{\"topic\":\"a\",\"data\":\"" + "x".repeat(4000) + "\"}");
        assertEquals(413, big.statusCode());
        assertTrue(big.body().contains("payload_too_large"), big.body());
        // The node still answers.
        assertEquals(200, Http.publish(TestGateways.httpUrl(gateway), "{\"topic\":\"news.ok\",\"data\":1}").statusCode());
    }

    @Test
    void healthAndReadiness() throws Exception {
        assertEquals(200, Http.get(TestGateways.httpUrl(gateway) + "/healthz").statusCode());
        assertEquals(200, Http.get(TestGateways.httpUrl(gateway) + "/readyz").statusCode());
    }
}
