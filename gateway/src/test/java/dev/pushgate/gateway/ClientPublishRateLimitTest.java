package dev.pushgate.gateway;

import dev.pushgate.gateway.testing.Http;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/client/publish} has the WebSocket clients' rate limit, per client: the token's subject, else the
 * IP address. Over the burst: 429 {@code rate_limited} with {@code Retry-After}, counted; other clients go on.
 */
class ClientPublishRateLimitTest {
    private static final int BURST = 5;
    private static Gateway gateway;

    /** A node per test: every anonymous request of the test comes from 127.0.0.1, one bucket. */
    @BeforeEach
    void start() {
        // One token a minute: the bucket does not refill noticeably during the test.
        gateway = TestGateways.start(Map.of("auth.hmac-secret", TestTokens.SECRET,
                "limits.messages-per-second", "1", "limits.messages-burst", Integer.toString(BURST)));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void aSubjectOverTheBurstGets429AndOtherClientsAreUnaffected() throws Exception {
        String alice = token("alice");
        double limitedBefore = metric("pushgate_client_rate_limited_total");
        for (int i = 0; i < BURST; i++) {
            HttpResponse<String> r = publish(alice, "chat.rl-alice");
            assertEquals(200, r.statusCode(), "within the burst: " + r.body());
        }
        HttpResponse<String> over = publish(alice, "chat.rl-alice");
        assertEquals(429, over.statusCode(), over.body());
        assertTrue(over.body().contains("\"code\":\"rate_limited\""), over.body());
        assertEquals("1", over.headers().firstValue("retry-after").orElse(""));
        assertEquals(limitedBefore + 1, metric("pushgate_client_rate_limited_total"), "the refusal is counted");
        // A second token of the same subject shares the bucket: the limit is per client, not per token.
        assertEquals(429, publish(token("alice"), "chat.rl-alice").statusCode());

        assertEquals(200, publish(token("bob"), "chat.rl-bob").statusCode(), "another subject has its own bucket");
        assertEquals(200, publish(null, "chat.rl-anon").statusCode(), "so has an anonymous client (by IP)");
    }

    @Test
    void anonymousClientsAreLimitedByAddress() throws Exception {
        int ok = 0;
        HttpResponse<String> r;
        while ((r = publish(null, "chat.rl-ip")).statusCode() == 200) {
            ok++;
            assertTrue(ok <= BURST, "refused within one burst");
        }
        assertEquals(429, r.statusCode(), r.body());
        assertEquals(200, publish(token("carol"), "chat.rl-ip").statusCode(), "an authenticated client is its own");
    }

    private static String token(String user) {
        return TestTokens.hs256(TestTokens.claims(user, 600L, "[\"chat.*\"]", "[\"chat.*\"]"));
    }

    private static HttpResponse<String> publish(String token, String topic) throws Exception {
        return Http.post(TestGateways.httpUrl(gateway) + "/api/client/publish", token, "application/json",
                "{\"topic\":\"" + topic + "\",\"data\":{\"n\":1}}");
    }

    private static double metric(String series) throws Exception {
        for (String line : Http.get(TestGateways.httpUrl(gateway) + "/metrics").body().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }
}
