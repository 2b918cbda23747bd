package dev.pushgate.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The keys tokens are checked against, by algorithm family: the HS256 secret, RSA keys for RS256 and P-256 EC keys
 * for ES256, each optionally named by a {@code kid} (from a JWKS file). Loaded once at start; immutable.
 */
public final class VerificationKeys {
    /** A public key with its optional key id. */
    record Named<K extends PublicKey>(String kid, K key) { }

    private final byte[] hmacSecret;
    private final List<Named<RSAPublicKey>> rsa;
    private final List<Named<ECPublicKey>> ec;

    VerificationKeys(byte[] hmacSecret, List<Named<RSAPublicKey>> rsa, List<Named<ECPublicKey>> ec) {
        this.hmacSecret = hmacSecret;
        this.rsa = List.copyOf(rsa);
        this.ec = List.copyOf(ec);
    }

    /** Loads the configured keys; any of them may be absent (null or empty). */
    public static VerificationKeys load(String hmacSecret, Path rsaPem, Path ecPem, Path jwks) {
        try {
            List<Named<RSAPublicKey>> rsa = new ArrayList<>();
            List<Named<ECPublicKey>> ec = new ArrayList<>();
            if (rsaPem != null) {
                rsa.add(new Named<>(null, (RSAPublicKey) pem(rsaPem, "RSA")));
            }
            if (ecPem != null) {
                ec.add(new Named<>(null, (ECPublicKey) pem(ecPem, "EC")));
            }
            if (jwks != null) {
                readJwks(jwks, rsa, ec);
            }
            byte[] secret = hmacSecret == null || hmacSecret.isEmpty() ? null
                    : hmacSecret.getBytes(StandardCharsets.UTF_8);
            return new VerificationKeys(secret, rsa, ec);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("cannot load token keys: " + e.getMessage(), e);
        }
    }

    byte[] hmacSecret() {
        return hmacSecret;
    }

    List<Named<RSAPublicKey>> rsa() {
        return rsa;
    }

    List<Named<ECPublicKey>> ec() {
        return ec;
    }

    private static PublicKey pem(Path file, String algorithm) throws IOException, GeneralSecurityException {
        String text = Files.readString(file);
        String body = text.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    private static void readJwks(Path file, List<Named<RSAPublicKey>> rsa, List<Named<ECPublicKey>> ec)
            throws IOException, GeneralSecurityException {
        JsonNode keys = new ObjectMapper().readTree(Files.readAllBytes(file)).path("keys");
        Base64.Decoder url = Base64.getUrlDecoder();
        for (JsonNode k : keys) {
            String kid = k.path("kid").isTextual() ? k.get("kid").asText() : null;
            switch (k.path("kty").asText()) {
                case "RSA" -> rsa.add(new Named<>(kid, (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(
                        new RSAPublicKeySpec(new BigInteger(1, url.decode(k.path("n").asText())),
                                new BigInteger(1, url.decode(k.path("e").asText()))))));
                case "EC" -> {
                    if (!"P-256".equals(k.path("crv").asText())) {
                        continue;
                    }
                    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
                    params.init(new ECGenParameterSpec("secp256r1"));
                    ECPoint point = new ECPoint(new BigInteger(1, url.decode(k.path("x").asText())),
                            new BigInteger(1, url.decode(k.path("y").asText())));
                    ec.add(new Named<>(kid, (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(
                            new ECPublicKeySpec(point, params.getParameterSpec(ECParameterSpec.class)))));
                }
                default -> { }
            }
        }
    }
}
