package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.TestTokens;
import dev.pushgate.gateway.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connection tokens over real WebSockets: query and connect op, permissions, expiry warning, refresh. */
class AuthTest {
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateways.start(Map.of("auth.hmac-secret", TestTokens.SECRET, "auth.refresh-warning", "2s"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static String url(String token) {
        return TestGateways.wsUrl(gateway) + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    @Test
    void anonymousMaySubscribeOnlyToAnonymousNamespaces() throws Exception {
        try (WsClient c = WsClient.connect(TestGateways.wsUrl(gateway))) {
            c.subscribe("chat.lobby");
            long id = c.request("subscribe", "\"topic\":\"news.sports\"");
            JsonNode err = c.awaitReply(id);
            assertEquals("unauthorized", err.path("code").asText(), err.toString());
        }
    }

    @Test
    void queryTokenGrantsItsTopicsOnly() throws Exception {
        String token = TestTokens.hs256(TestTokens.claims("alice", 300L, "[\"news.*\"]", "[\"news.alice\"]"));
        try (WsClient c = WsClient.connect(url(token)); WsClient other = WsClient.connect(url(token))) {
            c.subscribe("news.sports");
            long id = c.request("subscribe", "\"topic\":\"billing.x\"");
            assertEquals("forbidden", c.awaitReply(id).path("code").asText());
            other.subscribe("news.alice");
            assertEquals("ack", c.publish("news.alice", "1").path("op").asText(), "pubs claim allows publishing");
            assertEquals(1, other.nextMessage().path("data").asInt());
            assertEquals("forbidden", c.publish("news.sports", "1").path("code").asText());
        }
    }

    @Test
    void badQueryTokenIsRefusedBeforeTheUpgrade() {
        assertThrows(Exception.class, () -> WsClient.connect(url("not.a.token")));
        assertThrows(Exception.class, () -> WsClient.connect(url(TestTokens.none(TestTokens.claims("x", 60L, "[\"*\"]", null)))));
    }

    @Test
    void connectOpAuthenticatesAndABadOneCloses4500() throws Exception {
        try (WsClient c = WsClient.connect(TestGateways.wsUrl(gateway))) {
            long id = c.request("connect", "\"token\":\"" + TestTokens.hs256(TestTokens.claims("bob", 300L, "[\"news.bob\"]", null)) + "\"");
            JsonNode ack = c.awaitReply(id);
            assertEquals("bob", ack.path("user").asText(), ack.toString());
            c.subscribe("news.bob");
        }
        try (WsClient c = WsClient.connect(TestGateways.wsUrl(gateway))) {
            long id = c.request("connect", "\"token\":\"" + TestTokens.none(TestTokens.claims("eve", 300L, "[\"*\"]", null)) + "\"");
            assertEquals("unauthorized", c.awaitReply(id).path("code").asText());
            assertEquals(4500, c.awaitClose());
        }
    }

    @Test
    void expiringConnectionIsWarnedAndRefreshKeepsItOpen() throws Exception {
        String shortLived = TestTokens.hs256(TestTokens.claims("carol", 3L, "[\"news.*\"]", null));
        try (WsClient c = WsClient.connect(url(shortLived))) {
            JsonNode warning = c.next(n -> n.path("op").asText().equals("expiring"));
            assertTrue(warning.path("in").asLong() <= 3);
            long id = c.request("refresh", "\"token\":\"" + TestTokens.hs256(TestTokens.claims("carol", 300L, "[\"news.*\"]", null)) + "\"");
            assertEquals("carol", c.awaitReply(id).path("user").asText());
            // Past the first token's expiry the connection still works.
            long ping = c.request("ping", "");
            c.awaitReply(ping);
            JsonNode later = c.poll(java.time.Duration.ofSeconds(4));
            assertTrue(later == null || !later.path("op").asText().equals("expiring"), "no close after refresh");
            assertTrue(!c.isClosed());
            c.subscribe("news.after");
        }
    }

    @Test
    void unrefreshedTokenClosesWith4501AndRefreshForAnotherUserIsRefused() throws Exception {
        String shortLived = TestTokens.hs256(TestTokens.claims("dave", 2L, "[\"news.*\"]", null));
        try (WsClient c = WsClient.connect(url(shortLived))) {
            long id = c.request("refresh", "\"token\":\"" + TestTokens.hs256(TestTokens.claims("mallory", 300L, "[\"*\"]", null)) + "\"");
            assertEquals("forbidden", c.awaitReply(id).path("code").asText());
            assertEquals(4501, c.awaitClose());
        }
    }
}
