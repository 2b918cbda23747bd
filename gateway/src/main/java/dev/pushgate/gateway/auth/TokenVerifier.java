package dev.pushgate.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies compact JWS connection tokens (HS256, RS256, ES256) with the JDK's crypto. The algorithm in the header
 * only selects among keys of its own family: HS256 is checked against the configured secret and nothing else, so a
 * token signed with an RSA public key as an HMAC secret (key confusion) fails, and {@code alg: none} is refused.
 * Claims: {@code sub} (required), {@code exp}, {@code nbf}, {@code subs}, {@code pubs}. Thread-safe.
 */
public final class TokenVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TOKEN_CHARS = 8192;

    private final VerificationKeys keys;
    private final Clock clock;

    public TokenVerifier(VerificationKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** Verifies {@code token} and returns its claims, or throws with a client-safe reason. */
    public Claims verify(String token) throws TokenException {
        if (token == null || token.isEmpty()) {
            throw new TokenException("missing token");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new TokenException("token too long");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new TokenException("malformed token");
        }
        JsonNode header = json(parts[0]);
        JsonNode payload = json(parts[1]);
        byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = base64(parts[2]);
        String alg = header.path("alg").asText("");
        String kid = header.path("kid").isTextual() ? header.get("kid").asText() : null;
        boolean ok = switch (alg) {
            case "HS256" -> hmac(signed, signature);
            case "RS256" -> anyKey(keys.rsa(), kid, "SHA256withRSA", signed, signature);
            case "ES256" -> anyKey(keys.ec(), kid, "SHA256withECDSAinP1363Format", signed, signature);
            default -> throw new TokenException("unsupported token algorithm");
        };
        if (!ok) {
            throw new TokenException("bad token signature");
        }
        return claims(payload);
    }

    private Claims claims(JsonNode p) throws TokenException {
        if (!p.isObject()) {
            throw new TokenException("malformed token");
        }
        long now = clock.instant().getEpochSecond();
        if (p.has("nbf") && (!p.get("nbf").isNumber() || p.get("nbf").asLong() > now)) {
            throw new TokenException("token not yet valid");
        }
        Instant exp = null;
        if (p.has("exp")) {
            if (!p.get("exp").isNumber()) {
                throw new TokenException("malformed token");
            }
            if (p.get("exp").asLong() <= now) {
                throw new TokenException("token expired", true);
            }
            exp = Instant.ofEpochSecond(p.get("exp").asLong());
        }
        if (!p.path("sub").isTextual() || p.get("sub").asText().isEmpty()) {
            throw new TokenException("token without sub");
        }
        return new Claims(p.get("sub").asText(), exp, strings(p.path("subs")), strings(p.path("pubs")));
    }

    private boolean hmac(byte[] signed, byte[] signature) throws TokenException {
        byte[] secret = keys.hmacSecret();
        if (secret == null) {
            throw new TokenException("unsupported token algorithm");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return MessageDigest.isEqual(mac.doFinal(signed), signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static <K extends PublicKey> boolean anyKey(List<VerificationKeys.Named<K>> candidates, String kid,
                                                        String algorithm, byte[] signed, byte[] signature)
            throws TokenException {
        if (candidates.isEmpty()) {
            throw new TokenException("unsupported token algorithm");
        }
        for (VerificationKeys.Named<K> k : candidates) {
            if (kid != null && k.kid() != null && !kid.equals(k.kid())) {
                continue;
            }
            try {
                Signature s = Signature.getInstance(algorithm);
                s.initVerify(k.key());
                s.update(signed);
                if (s.verify(signature)) {
                    return true;
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // a malformed signature is simply not a valid one
            }
        }
        return false;
    }

    private static JsonNode json(String part) throws TokenException {
        try {
            JsonNode n = JSON.readTree(base64(part));
            if (n == null || !n.isObject()) {
                throw new TokenException("malformed token");
            }
            return n;
        } catch (java.io.IOException e) {
            throw new TokenException("malformed token");
        }
    }

    private static byte[] base64(String part) throws TokenException {
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new TokenException("malformed token");
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(n -> {
                if (n.isTextual()) {
                    out.add(n.asText());
                }
            });
        }
        return out;
    }
}
