package dev.pushgate.gateway;

import ch.qos.logback.classic.Level;
import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.LogCapture;
import dev.pushgate.gateway.testing.RawHttp;
import dev.pushgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Errors a user can act on: 403 naming the missing scope, a JSON 413 for 100-continue, refused origins at INFO. */
class ActionableErrorsTest {
    private static final String PUBLISH_ONLY = "publish-only-key-0123";
    private static final String STATS_ONLY = "stats-only-key-01234";
    private static Gateway gateway;
    private static String base;

    @BeforeAll
    static void start() {
        gateway = TestGateways.start(Map.of(
                "api-key", TestGateways.API_KEY + "," + PUBLISH_ONLY + ":publish," + STATS_ONLY + ":stats",
                "http.max-body-size", "1KiB"));
        base = TestGateways.httpUrl(gateway);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aKnownKeyWithoutTheScopeGets403NamingTheScope() throws Exception {
        HttpResponse<String> publish = Http.post(base + "/api/publish", STATS_ONLY, "application/json",
                "{\"topic\":\"news.x\",\"data\":1}");
        assertEquals(403, publish.statusCode(), publish.body());
        assertEquals("{\"error\":{\"code\":\"forbidden\",\"message\":\"API key lacks scope publish\"}}", publish.body());
        for (String scope : List.of("stats", "presence", "history")) {
            String url = base + "/api/" + scope + (scope.equals("stats") ? "" : "?topic=chat.lobby");
            HttpResponse<String> r = Http.get(url, PUBLISH_ONLY);
            assertEquals(403, r.statusCode(), scope + ": " + r.body());
            assertTrue(r.body().contains("\"code\":\"forbidden\"") && r.body().contains("API key lacks scope " + scope),
                    r.body());
        }
    }

    @Test
    void anUnknownKeyStillGets401() throws Exception {
        HttpResponse<String> r = Http.get(base + "/api/stats", "no-such-key-0123");
        assertEquals(401, r.statusCode());
        assertEquals("{\"error\":{\"code\":\"unauthorized\",\"message\":\"missing or invalid API key\"}}", r.body());
        assertEquals(200, Http.get(base + "/api/stats", STATS_ONLY).statusCode());
    }

    @Test
    void anOversizedBodyAnnouncedWithExpectContinueGetsTheJson413() throws Exception {
        try (RawHttp http = new RawHttp(gateway.port())) {
            http.send("POST /api/publish HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestGateways.API_KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
            RawHttp.Response r = http.read();
            assertEquals(413, r.status());
            assertEquals("application/json", r.header("content-type"));
            assertEquals("{\"error\":{\"code\":\"payload_too_large\",\"message\":\"request body larger than 1024 bytes\"}}",
                    r.text());
            assertTrue(http.closedByServer());
        }
    }

    @Test
    void aSmallBodyWithExpectContinueStillGets100ThenTheAnswer() throws Exception {
        try (RawHttp http = new RawHttp(gateway.port())) {
            String body = "{\"topic\":\"news.x\",\"data\":1}";
            http.send("POST /api/publish HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestGateways.API_KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                    + "\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, http.read().status());
            http.send(body);
            assertEquals(200, http.read().status());
        }
    }

    @Test
    void refusedOriginsAreLoggedAtInfoOncePerOrigin() throws Exception {
        try (LogCapture logs = LogCapture.of(Level.INFO, false, "dev.pushgate.gateway.transport")) {
            for (int i = 0; i < 3; i++) {
                assertEquals(403, upgrade("https://evil.example"));
            }
            assertEquals(403, upgrade("https://other.example"));
            List<String> lines = logs.messages().stream().filter(m -> m.contains("origin not allowed")).toList();
            assertEquals(2, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("origin=https://evil.example"), lines.get(0));
            assertTrue(lines.get(1).contains("origin=https://other.example"), lines.get(1));
        }
    }

    private static int upgrade(String origin) throws Exception {
        try (RawHttp http = new RawHttp(gateway.port())) {
            http.send("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + gateway.port() + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Origin: " + origin + "\r\n\r\n");
            return http.read().status();
        }
    }
}
