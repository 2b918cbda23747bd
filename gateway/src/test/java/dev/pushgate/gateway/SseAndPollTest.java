package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pushgate.gateway.broker.StreamPosition;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.SseClient;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.TestTokens;
import dev.pushgate.gateway.transport.fallback.PositionToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP fallback transports over real sockets: SSE live delivery, resume with {@code Last-Event-ID} (exactly the
 * missed messages, then live), {@code gap} when recovery is impossible; long-poll without and with {@code since},
 * held and answered by a message or the timeout; position-token validation, topic bounds, per-IP caps, tokens,
 * {@code POST /api/client/publish} and the Origin policy.
 */
class SseAndPollTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Gateway gateway;
    private static Gateway secured;

    @BeforeAll
    static void start() {
        gateway = TestGateways.start(Map.of("limits.max-subscriptions", "3", "poll.timeout", "1500ms",
                "heartbeat.interval", "1s"));
        secured = TestGateways.start(Map.of("auth.hmac-secret", TestTokens.SECRET,
                "namespaces.news.history-size", "100", "namespaces.news.history-ttl", "10m"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        secured.close();
    }

    @Test
    void sseDeliversLiveAndResumesWithLastEventIdWithNoGapAndNoDuplicate() throws Exception {
        String topic = "chat.sse-resume";
        String lastId;
        try (SseClient s = SseClient.open(url(gateway, "/sse?topic=" + topic))) {
            assertEquals(200, s.status());
            assertTrue(s.response().headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
            assertEquals("no", s.response().headers().firstValue("x-accel-buffering").orElse(""));
            SseClient.Event ack = s.next();
            assertEquals("ack", ack.data().path("op").asText(), ack.toString());
            assertEquals(topic, ack.data().path("topic").asText());
            assertNotNull(ack.lastId(), "the ack carries a position id");
            assertEquals("2000", s.retry());
            publish(gateway, topic, 1, 3);
            SseClient.Event e = null;
            for (int i = 1; i <= 3; i++) {
                e = s.next();
                assertEquals("message", e.data().path("op").asText(), e.toString());
                assertEquals(i, e.data().path("seq").asLong());
                assertEquals(i, e.data().path("data").path("n").asInt());
            }
            lastId = e.lastId();
        }
        publish(gateway, topic, 4, 8); // missed while disconnected
        try (SseClient s = SseClient.open(url(gateway, "/sse?topic=" + topic), "Last-Event-ID", lastId)) {
            SseClient.Event ack = s.next();
            assertEquals("ack", ack.data().path("op").asText(), ack.toString());
            assertTrue(ack.data().path("recovered").asBoolean(), ack.toString());
            for (int i = 4; i <= 8; i++) {
                SseClient.Event m = s.next();
                assertEquals(i, m.data().path("seq").asLong(), "replayed in order: " + m);
            }
            publish(gateway, topic, 9, 9);
            SseClient.Event live = s.next();
            assertEquals(9, live.data().path("seq").asLong(), "then live, no duplicate: " + live);
            lastId = live.lastId();
        }
        // The query parameter works like the header (EventSource polyfills, proxies that drop the header).
        publish(gateway, topic, 10, 10);
        try (SseClient s = SseClient.open(url(gateway, "/sse?topic=" + topic + "&lastEventId=" + lastId))) {
            assertTrue(s.next().data().path("recovered").asBoolean());
            assertEquals(10, s.next().data().path("seq").asLong());
            assertNull(s.poll(300), "nothing more");
        }
    }

    @Test
    void sseSendsHeartbeatCommentsAndTwoTopicsShareOneToken() throws Exception {
        String a = "chat.sse-two-a";
        String b = "chat.sse-two-b";
        String lastId;
        try (SseClient s = SseClient.open(url(gateway, "/sse?topic=" + a + "&topic=" + b))) {
            s.next();
            s.next();
            publish(gateway, a, 1, 2);
            publish(gateway, b, 1, 1);
            s.next();
            s.next();
            lastId = s.next().lastId();
            Map<String, StreamPosition> p = PositionToken.decode(lastId, 10);
            assertEquals(2, p.get(a).offset(), p.toString());
            assertEquals(1, p.get(b).offset(), p.toString());
        }
        publish(gateway, b, 2, 3);
        try (SseClient s = SseClient.open(url(gateway, "/sse?topic=" + a + "&topic=" + b), "Last-Event-ID", lastId)) {
            int seen = 0;
            for (int i = 0; i < 4; i++) {
                JsonNode d = s.next().data();
                if (d.path("op").asText().equals("message")) {
                    assertEquals(b, d.path("topic").asText());
                    assertEquals(2 + seen, d.path("seq").asLong());
                    seen++;
                }
            }
            assertEquals(2, seen);
        }
    }

    @Test
    void sseWhoseRecoveryIsImpossibleStartsWithAGap() throws Exception {
        String topic = "chat.sse-gap";
        publish(gateway, topic, 1, 2);
        String forged = PositionToken.encode(Map.of(topic, new StreamPosition(1, "not-this-epoch")));
        try (SseClient s = SseClient.open(url(gateway, "/sse?topic=" + topic), "Last-Event-ID", forged)) {
            SseClient.Event first = s.next();
            assertEquals("gap", first.data().path("op").asText(), first.toString());
            assertEquals(2, first.data().path("seq").asLong());
            assertEquals(2, PositionToken.decode(first.lastId(), 10).get(topic).offset());
            SseClient.Event ack = s.next();
            assertFalse(ack.data().path("recovered").asBoolean(true), ack.toString());
        }
    }

    @Test
    void pollWithoutSinceAnswersAtOnceWithThePositionThenWithWhatIsNewer() throws Exception {
        String topic = "chat.poll-basic";
        publish(gateway, topic, 1, 2);
        JsonNode first = poll(gateway, topic, null);
        assertEquals(0, first.path("messages").size(), first.toString());
        String since = first.path("since").asText();
        assertEquals(2, PositionToken.decode(since, 10).get(topic).offset());
        publish(gateway, topic, 3, 5);
        JsonNode next = poll(gateway, topic, since);
        assertEquals(3, next.path("messages").size(), next.toString());
        for (int i = 0; i < 3; i++) {
            assertEquals(3 + i, next.path("messages").get(i).path("seq").asLong());
            assertEquals("message", next.path("messages").get(i).path("op").asText());
        }
        assertEquals(5, PositionToken.decode(next.path("since").asText(), 10).get(topic).offset());
    }

    @Test
    void aHeldPollIsAnsweredByAMessageOrAtTheTimeoutWithTheSameToken() throws Exception {
        String topic = "chat.poll-held";
        String since = poll(gateway, topic, null).path("since").asText();
        long t0 = System.nanoTime();
        JsonNode empty = poll(gateway, topic, since);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(0, empty.path("messages").size(), empty.toString());
        assertEquals(since, empty.path("since").asText(), "the same token after the timeout");
        assertTrue(ms >= 1400, "held for poll.timeout: " + ms + " ms");

        CompletableFuture<HttpResponse<String>> held = Http.sendAsync(HttpRequest.newBuilder(
                URI.create(pollUrl(gateway, topic, since))).GET().build());
        long t1 = System.nanoTime();
        assertFalse(held.isDone());
        publish(gateway, topic, 1, 1);
        JsonNode answer = JSON.readTree(held.get(5, TimeUnit.SECONDS).body());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1) < 1400, "answered by the message");
        assertEquals(1, answer.path("messages").size(), answer.toString());
        assertEquals(1, answer.path("messages").get(0).path("seq").asLong());
    }

    @Test
    void badPositionTokensAndTooManyTopicsAre400() throws Exception {
        String topic = "chat.bad-token";
        String good = poll(gateway, topic, null).path("since").asText();
        char c = good.charAt(3);
        String tampered = good.substring(0, 3) + (c == 'A' ? 'B' : 'A') + good.substring(4);
        for (String bad : new String[] {"garbage!!", "AAAA", tampered, "x".repeat(3000), "x".repeat(9000)}) {
            HttpResponse<String> r = Http.get(pollUrl(gateway, topic, bad));
            assertEquals(400, r.statusCode(), bad + ": " + r.body());
            assertTrue(r.body().contains("bad_request"), r.body());
            try (SseClient s = SseClient.open(url(gateway, "/sse?topic=" + topic), "Last-Event-ID", bad)) {
                assertEquals(400, s.status());
            }
        }
        HttpResponse<String> r = Http.get(url(gateway, "/poll?topic=chat.a&topic=chat.b&topic=chat.c&topic=chat.d"));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("too_many_subscriptions"), r.body());
        assertEquals(400, Http.get(url(gateway, "/sse?topic=chat.a&topic=chat.b&topic=chat.c&topic=chat.d"))
                .statusCode());
        assertEquals(400, Http.get(url(gateway, "/poll")).statusCode());
        assertEquals(400, Http.get(url(gateway, "/poll?topic=bad%20topic")).statusCode());
    }

    @Test
    void aForeignOriginIsRefused403() throws Exception {
        for (String path : new String[] {"/sse?topic=chat.o", "/poll?topic=chat.o"}) {
            HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(url(gateway, path)))
                    .header("Origin", "http://evil.example").GET().build());
            assertEquals(403, r.statusCode(), path + ": " + r.body());
        }
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(url(gateway, "/api/client/publish")))
                .header("Origin", "http://evil.example").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"chat.o\",\"data\":{}}")).build());
        assertEquals(403, r.statusCode(), r.body());
    }

    @Test
    void perIpCapsAnswer429() throws Exception {
        Gateway capped = TestGateways.start(Map.of("sse.max-streams-per-ip", "1", "poll.max-polls-per-ip", "1",
                "poll.timeout", "3s"));
        try (SseClient s = SseClient.open(url(capped, "/sse?topic=chat.cap"))) {
            assertEquals(200, s.status());
            s.next();
            try (SseClient second = SseClient.open(url(capped, "/sse?topic=chat.cap"))) {
                assertEquals(429, second.status());
            }
            String since = poll(capped, "chat.cap", null).path("since").asText();
            CompletableFuture<HttpResponse<String>> held = Http.sendAsync(HttpRequest.newBuilder(
                    URI.create(pollUrl(capped, "chat.cap", since))).GET().build());
            dev.pushgate.gateway.testing.Await.until(Duration.ofSeconds(5), () -> {
                try {
                    return Http.get(pollUrl(capped, "chat.cap", null)).statusCode() == 429;
                } catch (Exception e) {
                    return false;
                }
            }, () -> "a second poll from the same address while one is held gets 429");
            assertEquals(200, held.get(10, TimeUnit.SECONDS).statusCode());
        } finally {
            capped.close();
        }
    }

    @Test
    void connectionTokensWorkOnBothTransportsAndClientPublish() throws Exception {
        String topic = "news.tokens";
        assertEquals(401, Http.get(url(secured, "/poll?topic=" + topic)).statusCode(), "news needs a token");
        assertEquals(401, Http.get(url(secured, "/sse?topic=" + topic)).statusCode());
        assertEquals(401, Http.get(url(secured, "/poll?topic=" + topic + "&token=not.a.jwt")).statusCode());
        String token = TestTokens.hs256(TestTokens.claims("alice", 600L, "[\"news.*\"]", "[\"news.*\"]"));
        String other = TestTokens.hs256(TestTokens.claims("bob", 600L, "[\"chat.*\"]", null));
        assertEquals(403, Http.get(url(secured, "/poll?topic=" + topic + "&token=" + other)).statusCode());
        try (SseClient s = SseClient.open(url(secured, "/sse?topic=" + topic + "&token=" + token))) {
            assertEquals(200, s.status());
            assertEquals("ack", s.next().data().path("op").asText());
            HttpResponse<String> pub = clientPublish(secured, token, topic);
            assertEquals(200, pub.statusCode(), pub.body());
            assertEquals(1, JSON.readTree(pub.body()).path("seq").asLong(), pub.body());
            assertEquals(1, s.next().data().path("seq").asLong());
        }
        HttpResponse<String> r = Http.get(url(secured, "/poll?topic=" + topic), token);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, PositionToken.decode(JSON.readTree(r.body()).path("since").asText(), 10).get(topic).offset());
        assertEquals(403, clientPublish(secured, other, topic).statusCode(), "no publish claim, namespace closed");
        assertEquals(403, clientPublish(secured, null, topic).statusCode());
        assertEquals(401, clientPublish(secured, "bad.token.here", topic).statusCode());
        assertEquals(200, clientPublish(secured, null, "chat.open").statusCode(), "chat: anonymous client publish");
    }

    @Test
    void anSseStreamThatCannotKeepUpIsEndedAndFreesItsSlot() throws Exception {
        Gateway g = TestGateways.start(Map.of("outbound.max-buffer", "16KiB", "outbound.socket-send-buffer", "8KiB"));
        try (java.net.Socket raw = new java.net.Socket()) {
            raw.setReceiveBufferSize(4096);
            raw.connect(new java.net.InetSocketAddress("127.0.0.1", g.port()), 5000);
            raw.getOutputStream().write(("GET /sse?topic=chat.slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            dev.pushgate.gateway.testing.Await.until(Duration.ofSeconds(5),
                    () -> metric(g, "pushgate_connections{transport=\"sse\"}") == 1, () -> "the stream is open");
            String pad = "x".repeat(4000);
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 100; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"topic\":\"chat.slow\",\"data\":{\"p\":\"")
                        .append(pad).append("\"}}");
            }
            // The reader never reads: the stream falls behind and is ended, not left to skip messages.
            for (int round = 0; round < 20 && metric(g, "pushgate_connections{transport=\"sse\"}") > 0; round++) {
                assertEquals(200, Http.publish(TestGateways.httpUrl(g), batch + "]").statusCode());
            }
            dev.pushgate.gateway.testing.Await.until(Duration.ofSeconds(10),
                    () -> metric(g, "pushgate_connections{transport=\"sse\"}") == 0, () -> "the slow stream ended");
            assertTrue(metric(g, "pushgate_slow_consumer_closes_total") >= 1);
        } finally {
            g.close();
        }
    }

    @Test
    void closingASlowStreamDuringFanOutDoesNotMakeTheNextSubscriberMissAMessage() throws Exception {
        Gateway g = TestGateways.start(Map.of("io-threads", "1", "outbound.max-buffer", "16KiB",
                "outbound.socket-send-buffer", "8KiB"));
        String topic = "chat.slow-first";
        try (java.net.Socket slow = new java.net.Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new java.net.InetSocketAddress("127.0.0.1", g.port()), 5000);
            slow.getOutputStream().write(("GET /sse?topic=" + topic + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            dev.pushgate.gateway.testing.Await.until(Duration.ofSeconds(5),
                    () -> metric(g, "pushgate_connections{transport=\"sse\"}") == 1, () -> "the slow stream is open");
            try (SseClient fast = SseClient.open(url(g, "/sse?topic=" + topic))) {
                fast.next(); // its ack: subscribed after the slow one, so it sits behind it on the loop
                String pad = "y".repeat(60);
                int published = 0;
                long expect = 1;
                for (int round = 0; round < 200 && metric(g, "pushgate_connections{transport=\"sse\"}") > 1; round++) {
                    StringBuilder batch = new StringBuilder("[");
                    for (int i = 0; i < 50; i++) {
                        batch.append(i == 0 ? "" : ",").append("{\"topic\":\"").append(topic)
                                .append("\",\"data\":{\"p\":\"").append(pad).append("\"}}");
                    }
                    assertEquals(200, Http.publish(TestGateways.httpUrl(g), batch + "]").statusCode());
                    published += 50;
                    while (expect <= published) {
                        SseClient.Event ev = fast.poll(10_000);
                        assertNotNull(ev, "fast stream stalled at " + expect + " ended=" + fast.ended() + " round="
                                + round + " streams=" + metric(g, "pushgate_connections{transport=\"sse\"}")
                                + " slowCloses=" + metric(g, "pushgate_slow_consumer_closes_total"));
                        long seq = ev.data().path("seq").asLong();
                        assertEquals(expect, seq, "the fast stream misses nothing");
                        expect++;
                    }
                }
                assertEquals(1.0, metric(g, "pushgate_connections{transport=\"sse\"}"), "the slow one was ended");
            }
        } finally {
            g.close();
        }
    }

    private static double metric(Gateway g, String series) {
        try {
            for (String line : Http.get(TestGateways.httpUrl(g) + "/metrics").body().split("\n")) {
                if (line.startsWith(series + " ")) {
                    return Double.parseDouble(line.substring(series.length() + 1).trim());
                }
            }
            return 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String url(Gateway g, String pathAndQuery) {
        return TestGateways.httpUrl(g) + pathAndQuery;
    }

    private static String pollUrl(Gateway g, String topic, String since) {
        return url(g, "/poll?topic=" + topic + (since == null ? "" : "&since=" + URLEncoder.encode(since,
                StandardCharsets.UTF_8)));
    }

    static JsonNode poll(Gateway g, String topic, String since) throws Exception {
        HttpResponse<String> r = Http.get(pollUrl(g, topic, since));
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> clientPublish(Gateway g, String token, String topic) throws Exception {
        return Http.post(url(g, "/api/client/publish"), token, "application/json",
                "{\"topic\":\"" + topic + "\",\"data\":{\"via\":\"http\"}}");
    }

    private static void publish(Gateway g, String topic, int from, int to) throws Exception {
        StringBuilder sb = new StringBuilder("[");
        for (int i = from; i <= to; i++) {
            sb.append(i == from ? "" : ",").append("{\"topic\":\"").append(topic).append("\",\"data\":{\"n\":")
                    .append(i).append("}}");
        }
        HttpResponse<String> r = Http.publish(TestGateways.httpUrl(g), sb.append(']').toString());
        assertEquals(200, r.statusCode(), r.body());
    }
}
