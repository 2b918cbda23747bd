package dev.pushgate.gateway.auth;

import dev.pushgate.gateway.testing.TestTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenVerifierTest {
    @TempDir
    static Path dir;
    private static TokenVerifier verifier;

    @BeforeAll
    static void keys() throws Exception {
        Path rsa = TestTokens.pem(dir, "rsa.pem", TestTokens.RSA.getPublic());
        verifier = new TokenVerifier(VerificationKeys.load(TestTokens.SECRET, rsa, null, jwks()), Clock.systemUTC());
    }

    private static Path jwks() throws Exception {
        ECPublicKey ec = (ECPublicKey) TestTokens.EC.getPublic();
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String x = url.encodeToString(fixed(ec.getW().getAffineX().toByteArray()));
        String y = url.encodeToString(fixed(ec.getW().getAffineY().toByteArray()));
        Path p = dir.resolve("jwks.json");
        Files.writeString(p, "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"ec-1\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}]}");
        return p;
    }

    private static byte[] fixed(byte[] b) {
        byte[] out = new byte[32];
        int n = Math.min(32, b.length);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }

    private static void refused(String token, String reason) {
        TokenException e = assertThrows(TokenException.class, () -> verifier.verify(token));
        assertEquals(reason, e.getMessage());
    }

    @Test
    void acceptsEachAlgorithm() throws Exception {
        String claims = TestTokens.claims("u1", 60L, "[\"news.*\"]", "[\"chat.x\"]");
        for (String token : List.of(TestTokens.hs256(claims), TestTokens.rs256(claims, TestTokens.RSA.getPrivate()),
                TestTokens.es256(claims, TestTokens.EC.getPrivate()))) {
            Claims c = verifier.verify(token);
            assertEquals("u1", c.user());
            assertTrue(c.maySubscribe("news.sports"));
            assertFalse(c.maySubscribe("newsroom"));
            assertTrue(c.mayPublish("chat.x"));
            assertFalse(c.mayPublish("chat.y"));
        }
    }

    @Test
    void refusesEveryBrokenToken() throws Exception {
        String claims = TestTokens.claims("u1", 60L, null, null);
        refused(null, "missing token");
        refused("", "missing token");
        refused("abc", "malformed token");
        refused("a.b", "malformed token");
        refused("!!.??.##", "malformed token");
        refused(TestTokens.hs256(claims, "another-secret-that-is-32-bytes-long!!".getBytes()), "bad token signature");
        refused(TestTokens.none(claims), "unsupported token algorithm");
        String good = TestTokens.hs256(claims);
        refused(good.substring(0, good.length() - 3) + "AAA", "bad token signature");
        refused(TestTokens.hs256(TestTokens.claims("u1", -5L, null, null)), "token expired");
        long future = java.time.Instant.now().getEpochSecond() + 3600;
        refused(TestTokens.hs256("{\"sub\":\"u1\",\"nbf\":" + future + "}"), "token not yet valid");
        refused(TestTokens.hs256("{\"exp\":" + future + "}"), "token without sub");
        refused(TestTokens.es256(claims, TestTokens.RSA.getPrivate() instanceof java.security.interfaces.RSAPrivateKey
                ? java.security.KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate() : null), "bad token signature");
    }

    @Test
    void hmacWithTheRsaPublicKeyAsSecretIsRefused() {
        // The classic key confusion: sign HS256 using the RSA public key bytes, hoping the server verifies
        // HS256 with its RSA key. This verifier checks HS256 only against the configured HMAC secret.
        String claims = TestTokens.claims("attacker", 60L, "[\"*\"]", "[\"*\"]");
        byte[] pem = ("-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(TestTokens.RSA.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n").getBytes();
        refused(TestTokens.hs256(claims, pem), "bad token signature");
        refused(TestTokens.hs256(claims, TestTokens.RSA.getPublic().getEncoded()), "bad token signature");
        TokenVerifier rsaOnly = new TokenVerifier(new VerificationKeys(null,
                List.of(new VerificationKeys.Named<>(null, (java.security.interfaces.RSAPublicKey) TestTokens.RSA.getPublic())),
                List.of()), Clock.systemUTC());
        TokenException e = assertThrows(TokenException.class, () -> rsaOnly.verify(TestTokens.hs256(claims, pem)));
        assertEquals("unsupported token algorithm", e.getMessage());
    }

    @Test
    void expiredIsMarkedSoTheCloseCodeDiffers() {
        TokenException e = assertThrows(TokenException.class,
                () -> verifier.verify(TestTokens.hs256(TestTokens.claims("u", -1L, null, null))));
        assertTrue(e.expired());
    }
}
