package dev.pushgate.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.pushgate.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks added with nimbus: aud, iss, crit, minimum RSA size, kid selection, key-type binding. */
class TokenChecksTest {
    @TempDir
    Path dir;

    private static final String CLAIMS = TestTokens.claims("u1", 60L, null, null);

    private static TokenVerifier hmac(String audience, String issuer) {
        return new TokenVerifier(VerificationKeys.load(TestTokens.SECRET, null, null, null), null, Clock.systemUTC(),
                audience, issuer);
    }

    private static String refusal(TokenVerifier v, String token) {
        return assertThrows(TokenException.class, () -> v.verify(token)).getMessage();
    }

    private static String withClaim(String extraJson) {
        return TestTokens.hs256(CLAIMS.substring(0, CLAIMS.length() - 1) + "," + extraJson + "}");
    }

    @Test
    void audienceWhenConfiguredMustBeAmongTheTokensAudiences() throws Exception {
        TokenVerifier v = hmac("pushgate", "");
        assertEquals("token audience not accepted", refusal(v, TestTokens.hs256(CLAIMS)));
        assertEquals("token audience not accepted", refusal(v, withClaim("\"aud\":\"billing\"")));
        assertEquals("token audience not accepted", refusal(v, withClaim("\"aud\":[\"billing\",\"pushgate-x\"]")));
        assertEquals("u1", v.verify(withClaim("\"aud\":\"pushgate\"")).user());
        assertEquals("u1", v.verify(withClaim("\"aud\":[\"billing\",\"pushgate\"]")).user());
        assertEquals("u1", hmac("", "").verify(withClaim("\"aud\":\"anything\"")).user(), "empty: not checked");
    }

    @Test
    void issuerWhenConfiguredMustMatchExactly() throws Exception {
        TokenVerifier v = hmac("", "https://id.example.com/");
        assertEquals("token issuer not accepted", refusal(v, TestTokens.hs256(CLAIMS)));
        assertEquals("token issuer not accepted", refusal(v, withClaim("\"iss\":\"https://id.example.com\"")));
        assertEquals("token issuer not accepted", refusal(v, withClaim("\"iss\":\"https://evil.example.com/\"")));
        assertEquals("u1", v.verify(withClaim("\"iss\":\"https://id.example.com/\"")).user());
        assertEquals("u1", hmac("", "").verify(withClaim("\"iss\":\"anyone\"")).user(), "empty: not checked");
        TokenVerifier both = hmac("pushgate", "https://id.example.com/");
        assertEquals("u1", both.verify(withClaim("\"iss\":\"https://id.example.com/\",\"aud\":\"pushgate\"")).user());
    }

    @Test
    void criticalHeadersAreRefused() throws Exception {
        TokenVerifier v = hmac("", "");
        String crit = TestTokens.hs256WithHeader("{\"alg\":\"HS256\",\"crit\":[\"x-pushgate\"],\"x-pushgate\":1}", CLAIMS);
        assertEquals("unsupported critical token header", refusal(v, crit));
        // The mechanism is nimbus's own: its verifiers refuse any crit parameter not deferred to the caller.
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).criticalParams(java.util.Set.of("x-pushgate"))
                .customParam("x-pushgate", 1).build();
        String[] parts = crit.split("\\.");
        assertFalse(new MACVerifier(TestTokens.SECRET).verify(header,
                (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), new Base64URL(parts[2])));
        assertEquals("u1", v.verify(TestTokens.hs256WithHeader("{\"alg\":\"HS256\",\"x-pushgate\":1}", CLAIMS)).user(),
                "an unknown header that is not critical is ignored");
    }

    @Test
    void rsaKeysUnder2048BitsAreRefusedWhenLoading() throws Exception {
        KeyPair small = TestTokens.rsa(1024);
        Path pem = TestTokens.pem(dir, "small.pem", small.getPublic());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VerificationKeys.load(null, pem, null, null));
        assertTrue(e.getMessage().contains("auth.rsa-public-key-file") && e.getMessage().contains("1024 bits")
                && e.getMessage().contains("2048"), e.getMessage());
        Path jwks = dir.resolve("small.json");
        Files.writeString(jwks, new JWKSet(new RSAKey.Builder((RSAPublicKey) small.getPublic()).keyID("old").build()).toString());
        e = assertThrows(IllegalArgumentException.class, () -> VerificationKeys.load(null, null, null, jwks));
        assertTrue(e.getMessage().contains("auth.jwks-file") && e.getMessage().contains("kid=old"), e.getMessage());
        Path good = TestTokens.pem(dir, "good.pem", TestTokens.RSA.getPublic());
        VerificationKeys.load(null, good, null, null);
    }

    @Test
    void kidSelectsAmongJwksKeysAndKeyFilesWithoutKidAcceptAnyKid() throws Exception {
        KeyPair second = TestTokens.rsa(2048);
        Path jwks = dir.resolve("two.json");
        Files.writeString(jwks, new JWKSet(List.of(
                new RSAKey.Builder((RSAPublicKey) TestTokens.RSA.getPublic()).keyID("a").build(),
                new RSAKey.Builder((RSAPublicKey) second.getPublic()).keyID("b").build())).toString());
        TokenVerifier v = new TokenVerifier(VerificationKeys.load(null, null, null, jwks), Clock.systemUTC());
        assertEquals("u1", v.verify(TestTokens.rs256(CLAIMS, TestTokens.RSA.getPrivate(), "a")).user());
        assertEquals("u1", v.verify(TestTokens.rs256(CLAIMS, second.getPrivate(), "b")).user());
        assertEquals("u1", v.verify(TestTokens.rs256(CLAIMS, second.getPrivate())).user(), "no kid: every key is tried");
        assertEquals("bad token signature", refusal(v, TestTokens.rs256(CLAIMS, second.getPrivate(), "a")));
        assertEquals("unknown token key", refusal(v, TestTokens.rs256(CLAIMS, second.getPrivate(), "c")));
        TokenVerifier pem = new TokenVerifier(VerificationKeys.load(null,
                TestTokens.pem(dir, "rsa.pem", TestTokens.RSA.getPublic()), null, null), Clock.systemUTC());
        assertEquals("u1", pem.verify(TestTokens.rs256(CLAIMS, TestTokens.RSA.getPrivate(), "whatever")).user());
    }

    @Test
    void eachAlgorithmOnlyUsesKeysOfItsOwnTypeUseAndAlg() throws Exception {
        ECPublicKey ec = (ECPublicKey) TestTokens.EC.getPublic();
        byte[] octSecret = TestTokens.SECRET.getBytes(StandardCharsets.UTF_8);
        Path jwks = dir.resolve("mixed.json");
        Files.writeString(jwks, "{\"keys\":["
                + new RSAKey.Builder((RSAPublicKey) TestTokens.RSA.getPublic()).keyID("rs384").algorithm(JWSAlgorithm.RS384)
                        .build().toJSONString() + ","
                + new ECKey.Builder(Curve.P_256, ec).keyID("enc").keyUse(KeyUse.ENCRYPTION).build().toJSONString() + ","
                + new OctetSequenceKey.Builder(octSecret).keyID("oct").build().toJSONString() + "]}");
        TokenVerifier v = new TokenVerifier(VerificationKeys.load(null, null, null, jwks), Clock.systemUTC());
        assertEquals("unsupported token algorithm", refusal(v, TestTokens.rs256(CLAIMS, TestTokens.RSA.getPrivate())),
                "an RSA key marked alg RS384 is not an RS256 key");
        assertEquals("unsupported token algorithm", refusal(v, TestTokens.es256(CLAIMS, TestTokens.EC.getPrivate())),
                "an EC key marked use enc is not a signature key");
        assertEquals("unsupported token algorithm", refusal(v, TestTokens.hs256(CLAIMS)),
                "an oct key in a JWK set is never an HS256 secret");
        // RS256 and ES256 tokens against the HMAC secret alone, and HS256 against an EC key alone.
        TokenVerifier secretOnly = hmac("", "");
        assertEquals("unsupported token algorithm", refusal(secretOnly, TestTokens.rs256(CLAIMS, TestTokens.RSA.getPrivate())));
        assertEquals("unsupported token algorithm", refusal(secretOnly, TestTokens.es256(CLAIMS, TestTokens.EC.getPrivate())));
        TokenVerifier ecOnly = new TokenVerifier(new VerificationKeys(null, List.of(),
                List.of(new VerificationKeys.Named<>(null, ec))), Clock.systemUTC());
        assertEquals("unsupported token algorithm", refusal(ecOnly,
                TestTokens.hs256(CLAIMS, Base64.getEncoder().encode(ec.getEncoded()))));
        assertEquals("unsupported token algorithm", refusal(ecOnly,
                TestTokens.hs256WithHeader("{\"alg\":\"HS512\"}", CLAIMS)));
    }

    @Test
    void claimsOfTheWrongTypeAreMalformed() {
        TokenVerifier v = hmac("", "");
        assertEquals("token without sub", refusal(v, TestTokens.hs256("{\"sub\":42}")));
        assertEquals("token without sub", refusal(v, TestTokens.hs256("{\"sub\":null}")));
        assertEquals("malformed token", refusal(v, TestTokens.hs256("{\"sub\":\"u\",\"exp\":\"soon\"}")));
        assertEquals("malformed token", refusal(v, TestTokens.hs256("[1,2]")));
        assertEquals("token without sub", refusal(v, TestTokens.hs256("{\"sub\":\"\"}")));
        assertEquals("malformed token", refusal(v, TestTokens.hs256(CLAIMS).replace(".", "..")));
    }

    @Test
    void psychicEcdsaSignatureIsRefused() {
        // CVE-2022-21449: r = s = 0 verified as valid on JDK 17.0.0-17.0.2; nimbus also refuses it itself.
        TokenVerifier v = new TokenVerifier(new VerificationKeys(null, List.of(),
                List.of(new VerificationKeys.Named<>(null, (ECPublicKey) TestTokens.EC.getPublic()))), Clock.systemUTC());
        String good = TestTokens.es256(CLAIMS, TestTokens.EC.getPrivate());
        String zero = good.substring(0, good.lastIndexOf('.') + 1)
                + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]);
        assertEquals("bad token signature", refusal(v, zero));
    }
}
