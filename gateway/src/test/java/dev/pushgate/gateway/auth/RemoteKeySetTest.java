package dev.pushgate.gateway.auth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import dev.pushgate.gateway.testing.Await;
import dev.pushgate.gateway.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A JWKS URL served by a real local HTTP server: rotation, the bounded refetch on unknown kids, the server down. */
class RemoteKeySetTest {
    private static final String CLAIMS = TestTokens.claims("u1", 300L, null, null);
    private static final KeyPair K2 = TestTokens.rsa(2048);

    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch hanging = new CountDownLatch(1);
    private final TestClock clock = new TestClock();
    private volatile String body;
    private volatile boolean hang;
    private HttpServer server;
    private RemoteKeySet remote;

    /** A clock the test moves; the rate limit is measured with it. */
    static final class TestClock extends Clock {
        private final AtomicLong millis = new AtomicLong(1_000_000);

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks.json", ex -> {
            requests.incrementAndGet();
            if (hang) {
                hanging.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (remote != null) {
            remote.close();
        }
        server.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
    }

    private static String keySet(String kid, KeyPair pair) {
        return new JWKSet(new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID(kid).build()).toString();
    }

    private TokenVerifier verifier() {
        return new TokenVerifier(VerificationKeys.load(null, null, null, null), remote, Clock.systemUTC(), "", "");
    }

    private static boolean accepted(TokenVerifier v, String token) {
        try {
            return v.verify(token).user().equals("u1");
        } catch (TokenException e) {
            return false;
        }
    }

    private static String refusal(TokenVerifier v, String token) {
        return assertThrows(TokenException.class, () -> v.verify(token)).getMessage();
    }

    @Test
    void aRotatedKeyIsFetchedOnItsFirstTokenAndUnknownKidsFetchAtMostOncePerInterval() {
        body = keySet("k1", TestTokens.RSA);
        remote = RemoteKeySet.start(url(), Duration.ofHours(1), Duration.ofSeconds(30), clock);
        assertEquals(1, requests.get(), "fetched once at start");
        TokenVerifier v = verifier();
        String t1 = TestTokens.rs256(CLAIMS, TestTokens.RSA.getPrivate(), "k1");
        String t2 = TestTokens.rs256(CLAIMS, K2.getPrivate(), "k2");
        assertTrue(accepted(v, t1));

        body = keySet("k2", K2); // the issuer rotates: k2 replaces k1
        for (int i = 0; i < 200; i++) {
            assertEquals("unknown token key", refusal(v, t2));
        }
        assertEquals(1, requests.get(), "within 30 s of the last fetch an unknown kid fetches nothing");

        clock.advance(Duration.ofSeconds(31));
        for (int i = 0; i < 200; i++) {
            accepted(v, t2); // the first one starts a background fetch and is refused
        }
        Await.until(Duration.ofSeconds(10), () -> accepted(v, t2), () -> "k2 accepted after the refetch");
        assertEquals(2, requests.get(), "one refetch for 200 tokens with the unknown kid");
        assertEquals("unknown token key", refusal(v, t1), "the rotated-out key is gone");
        assertEquals("unknown token key", refusal(v, TestTokens.rs256(CLAIMS, K2.getPrivate(), "k3")));
        assertEquals(2, requests.get());
    }

    @Test
    void thePeriodicRefreshPicksUpANewSetWithoutAnyUnknownKid() {
        body = keySet("k1", TestTokens.RSA);
        remote = RemoteKeySet.start(url(), Duration.ofMillis(100), Duration.ofHours(1), clock);
        TokenVerifier v = verifier();
        body = keySet("k2", K2);
        Await.until(Duration.ofSeconds(10), () -> accepted(v, TestTokens.rs256(CLAIMS, K2.getPrivate(), "k2")),
                () -> "k2 accepted after a periodic refresh; requests=" + requests.get());
    }

    @Test
    void aHangingOrDeadServerNeverBlocksVerificationAndTheCachedKeysStay() throws Exception {
        body = keySet("k1", TestTokens.RSA);
        remote = RemoteKeySet.start(url(), Duration.ofHours(1), Duration.ofSeconds(30), clock);
        TokenVerifier v = verifier();
        String t1 = TestTokens.rs256(CLAIMS, TestTokens.RSA.getPrivate(), "k1");
        hang = true;
        clock.advance(Duration.ofSeconds(31));
        assertEquals("unknown token key", refusal(v, TestTokens.rs256(CLAIMS, K2.getPrivate(), "k2")));
        assertTrue(hanging.await(10, TimeUnit.SECONDS), "the refetch reached the server");
        long started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertTrue(accepted(v, t1));
            assertEquals("unknown token key", refusal(v, TestTokens.rs256(CLAIMS, K2.getPrivate(), "k2")));
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        // One verification waiting for the fetch would take its 5 s timeout; 40 that never wait take milliseconds.
        assertTrue(millis < 3000, "40 verifications while the fetch hangs took " + millis + " ms");
        release.countDown();
        Await.until(Duration.ofSeconds(10), () -> remote.successes() == 2, () -> "the hanging fetch ends");

        server.stop(0); // now down: the fetch fails, the keys stay
        long before = remote.fetches();
        clock.advance(Duration.ofSeconds(31));
        refusal(v, TestTokens.rs256(CLAIMS, K2.getPrivate(), "k2"));
        Await.until(Duration.ofSeconds(10), () -> remote.fetches() > before, () -> "a fetch against the dead server");
        assertTrue(accepted(v, t1), "k1 still accepted from the cache");
    }

    @Test
    void withoutARateLimitAtMostOneTriggeredFetchIsInFlight() throws Exception {
        body = keySet("k1", TestTokens.RSA);
        remote = RemoteKeySet.start(url(), Duration.ofHours(1), Duration.ZERO, clock);
        TokenVerifier v = verifier();
        hang = true;
        for (int i = 0; i < 200; i++) {
            refusal(v, TestTokens.rs256(CLAIMS, K2.getPrivate(), "k2"));
        }
        assertTrue(hanging.await(10, TimeUnit.SECONDS));
        release.countDown();
        Await.until(Duration.ofSeconds(10), () -> remote.successes() == 2, () -> "the triggered fetch ends");
        assertEquals(2, requests.get(), "start + one triggered fetch for 200 unknown kids");
    }

    @Test
    void startingWhileTheServerIsDownDoesNotFail() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        remote = RemoteKeySet.start(URI.create("http://127.0.0.1:" + dead + "/jwks.json"), Duration.ofHours(1),
                Duration.ofSeconds(30), clock);
        assertEquals("unknown token key", refusal(verifier(), TestTokens.rs256(CLAIMS, TestTokens.RSA.getPrivate(), "k1")));
    }

    @Test
    void aSmallRsaKeyFromTheUrlIsLeftOutAndTheOthersKept() {
        KeyPair small = TestTokens.rsa(1024);
        body = new JWKSet(java.util.List.of(new RSAKey.Builder((RSAPublicKey) small.getPublic()).keyID("small").build(),
                new RSAKey.Builder((RSAPublicKey) TestTokens.RSA.getPublic()).keyID("k1").build())).toString();
        remote = RemoteKeySet.start(url(), Duration.ofHours(1), Duration.ofSeconds(30), clock);
        TokenVerifier v = verifier();
        assertTrue(accepted(v, TestTokens.rs256(CLAIMS, TestTokens.RSA.getPrivate(), "k1")));
        assertEquals("unknown token key", refusal(v, TestTokens.rs256(CLAIMS, small.getPrivate(), "small")));
    }
}
