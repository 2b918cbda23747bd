package dev.pushgate.gateway.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Mints JWTs for tests with the JDK's crypto: HS256, RS256 and ES256, and deliberately broken ones. */
public final class TestTokens {
    public static final String SECRET = "test-hmac-secret-at-least-32-bytes-long!";
    public static final KeyPair RSA = generate("RSA", null);
    public static final KeyPair EC = generate("EC", "secp256r1");

    private TestTokens() {
    }

    /** Claims JSON with {@code sub}, {@code exp} (seconds from now; null: none) and subscribe/publish patterns. */
    public static String claims(String user, Long expInSeconds, String subsJson, String pubsJson) {
        long now = Instant.now().getEpochSecond();
        return "{\"sub\":\"" + user + "\"" + (expInSeconds == null ? "" : ",\"exp\":" + (now + expInSeconds))
                + (subsJson == null ? "" : ",\"subs\":" + subsJson) + (pubsJson == null ? "" : ",\"pubs\":" + pubsJson) + "}";
    }

    public static String hs256(String claims) {
        return hs256(claims, SECRET.getBytes(StandardCharsets.UTF_8));
    }

    public static String hs256(String claims, byte[] secret) {
        String input = part("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + part(claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String rs256(String claims, PrivateKey key) {
        return sign("{\"alg\":\"RS256\"}", claims, "SHA256withRSA", key);
    }

    public static String es256(String claims, PrivateKey key) {
        return sign("{\"alg\":\"ES256\"}", claims, "SHA256withECDSAinP1363Format", key);
    }

    /** RS256 with a {@code kid} header. */
    public static String rs256(String claims, PrivateKey key, String kid) {
        return sign("{\"alg\":\"RS256\",\"kid\":\"" + kid + "\"}", claims, "SHA256withRSA", key);
    }

    /** HS256 with the test secret under any header JSON (which should say {@code "alg":"HS256"}). */
    public static String hs256WithHeader(String headerJson, String claims) {
        String input = part(headerJson) + "." + part(claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An RSA key pair of {@code bits} (e.g. a too-small 1024). */
    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code alg: none} with an empty signature. */
    public static String none(String claims) {
        return part("{\"alg\":\"none\"}") + "." + part(claims) + ".";
    }

    /** Writes {@code key} as a PEM public key file. */
    public static Path pem(Path dir, String name, PublicKey key) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        return p;
    }

    private static String sign(String header, String claims, String alg, PrivateKey key) {
        String input = part(header) + "." + part(claims);
        try {
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String part(String json) {
        return b64(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static KeyPair generate(String alg, String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
            if (curve != null) {
                g.initialize(new ECGenParameterSpec(curve));
            } else {
                g.initialize(2048);
            }
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
