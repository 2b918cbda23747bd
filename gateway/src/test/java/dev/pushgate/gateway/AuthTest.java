package dev.pushgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pushgate.gateway.testing.TestGateways;
import dev.pushgate.gateway.testing.TestTokens;
import dev.pushgate.gateway.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import dev.pushgate.gateway.config.ConfigException;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
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

    private static String url(Gateway g, String token) {
        return TestGateways.wsUrl(g) + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    @Test
    void jwksUrlKeysWithAudienceAndIssuerAndTheKeyServerGoingDown() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        byte[] jwks = new JWKSet(new RSAKey.Builder((RSAPublicKey) TestTokens.RSA.getPublic()).keyID("k1").build())
                .toString().getBytes(StandardCharsets.UTF_8);
        HttpServer keys = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        keys.createContext("/jwks.json", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(jwks);
            }
        });
        keys.start();
        String claims = "{\"sub\":\"erin\",\"exp\":" + (java.time.Instant.now().getEpochSecond() + 300)
                + ",\"aud\":\"pushgate\",\"iss\":\"https://id.example.com/\",\"subs\":[\"news.*\"]}";
        Gateway g = TestGateways.start(Map.of(
                "auth.jwks-url", "http://127.0.0.1:" + keys.getAddress().getPort() + "/jwks.json",
                "auth.audience", "pushgate", "auth.issuer", "https://id.example.com/"));
        try {
            try (WsClient c = WsClient.connect(url(g, TestTokens.rs256(claims, TestTokens.RSA.getPrivate(), "k1")))) {
                c.subscribe("news.sports");
            }
            assertThrows(Exception.class, () -> WsClient.connect(url(g, TestTokens.rs256(
                    claims.replace("pushgate", "other"), TestTokens.RSA.getPrivate(), "k1"))), "wrong aud: 401");
            assertThrows(Exception.class, () -> WsClient.connect(url(g, TestTokens.rs256(
                    TestTokens.claims("erin", 300L, null, null), TestTokens.RSA.getPrivate(), "k1"))), "no aud/iss: 401");
            keys.stop(0);
            assertThrows(Exception.class, () -> WsClient.connect(url(g, TestTokens.rs256(claims,
                    TestTokens.rsa(2048).getPrivate(), "unknown"))), "unknown kid: 401");
            try (WsClient c = WsClient.connect(url(g, TestTokens.rs256(claims, TestTokens.RSA.getPrivate(), "k1")))) {
                c.subscribe("news.after");
            }
            assertEquals(1, requests.get(), "fetched once at start; the unknown kid was within the refetch interval");
            String scrape = dev.pushgate.gateway.testing.Http.get(TestGateways.httpUrl(g) + "/metrics").body();
            assertTrue(scrape.contains("pushgate_auth_jwks_fetches_total{result=\"ok\"} 1.0"), scrape);
            assertTrue(scrape.contains("pushgate_auth_jwks_fetches_total{result=\"error\"} 0.0"), scrape);
        } finally {
            g.close();
            keys.stop(0);
        }
    }

    @Test
    void aDeadJwksUrlAtStartStillStartsTheNode() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        Gateway g = TestGateways.start(Map.of("auth.jwks-url", "http://127.0.0.1:" + dead + "/jwks.json",
                "auth.hmac-secret", TestTokens.SECRET));
        try {
            try (WsClient c = WsClient.connect(url(g, TestTokens.hs256(TestTokens.claims("f", 60L, "[\"news.f\"]", null))))) {
                c.subscribe("news.f");
            }
            assertThrows(Exception.class, () -> WsClient.connect(url(g, TestTokens.rs256(
                    TestTokens.claims("f", 60L, null, null), TestTokens.RSA.getPrivate(), "k1"))));
        } finally {
            g.close();
        }
    }

    @Test
    void unusableKeyConfigurationIsAConfigError(@TempDir Path dir) throws Exception {
        Path small = TestTokens.pem(dir, "small.pem", TestTokens.rsa(1024).getPublic());
        ConfigException e = assertThrows(ConfigException.class,
                () -> TestGateways.start(Map.of("auth.rsa-public-key-file", small.toString())));
        assertTrue(e.getMessage().contains("at least 2048"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> TestGateways.start(Map.of("auth.jwks-url", "file:///etc/passwd")));
        assertTrue(e.getMessage().contains("auth.jwks-url"), e.getMessage());
        assertDoesNotThrow(() -> TestGateways.start(Map.of("auth.rsa-public-key-file",
                TestTokens.pem(dir, "ok.pem", TestTokens.RSA.getPublic()).toString())).close());
    }
}
