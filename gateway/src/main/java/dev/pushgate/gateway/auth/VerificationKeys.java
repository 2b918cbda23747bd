package dev.pushgate.gateway.auth;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The keys configured at start that tokens are checked against, as nimbus JWKs: the HS256 secret
 * (an {@code oct} key), the PEM RSA and EC P-256 public keys (no {@code kid}) and the keys of a JWKS file (RSA and
 * EC only, each with its {@code kid}). An RSA key under {@link #MIN_RSA_BITS} is refused when loading. Immutable.
 */
public final class VerificationKeys {
    /** The smallest RSA modulus accepted, from a file, a JWKS file or a JWKS URL. */
    public static final int MIN_RSA_BITS = 2048;
    /** The shortest HS256 secret (RFC 7518 §3.2: a key of the hash output size). */
    public static final int MIN_HMAC_BYTES = 32;

    /** A public key with its optional key id. */
    record Named<K extends PublicKey>(String kid, K key) { }

    private final List<KeyCandidate> keys;

    private VerificationKeys(List<JWK> keys) {
        this.keys = KeyCandidate.of(keys);
    }

    /** Keys given directly (tests): an optional HMAC secret and public keys with optional key ids. */
    VerificationKeys(byte[] hmacSecret, List<Named<RSAPublicKey>> rsa, List<Named<ECPublicKey>> ec) {
        this(direct(hmacSecret, rsa, ec));
    }

    /**
     * Loads the configured keys; any of them may be absent (null or empty).
     *
     * @throws IllegalArgumentException naming the file and the problem (unreadable, malformed, RSA key too small)
     */
    public static VerificationKeys load(String hmacSecret, Path rsaPem, Path ecPem, Path jwks) {
        List<JWK> keys = new ArrayList<>();
        if (hmacSecret != null && !hmacSecret.isEmpty()) {
            keys.add(hmac(hmacSecret.getBytes(StandardCharsets.UTF_8)));
        }
        if (rsaPem != null) {
            keys.add(checked(pem(rsaPem, RSAKey.class, "auth.rsa-public-key-file"), "auth.rsa-public-key-file " + rsaPem));
        }
        if (ecPem != null) {
            keys.add(pem(ecPem, ECKey.class, "auth.ec-public-key-file"));
        }
        if (jwks != null) {
            try {
                keys.addAll(publicSigningKeys(JWKSet.load(jwks.toFile()), "auth.jwks-file " + jwks));
            } catch (IOException | ParseException e) {
                throw new IllegalArgumentException("auth.jwks-file " + jwks + ": not a readable JWK set: "
                        + e.getMessage(), e);
            }
        }
        return new VerificationKeys(keys);
    }

    /** The keys, for matching by algorithm and {@code kid}. */
    List<KeyCandidate> keys() {
        return keys;
    }

    /**
     * The RSA and EC public keys of {@code set}; other key types are left out (an HS256 secret comes only from
     * {@code auth.hmac-secret}).
     *
     * @throws IllegalArgumentException for an RSA key under {@link #MIN_RSA_BITS}, naming {@code source}
     */
    static List<JWK> publicSigningKeys(JWKSet set, String source) {
        List<JWK> out = new ArrayList<>();
        for (JWK k : set.getKeys()) {
            if (k instanceof RSAKey rsa) {
                out.add(checked(rsa.toPublicJWK(), source));
            } else if (k instanceof ECKey ec) {
                out.add(ec.toPublicJWK());
            }
        }
        return out;
    }

    private static RSAKey checked(RSAKey key, String source) {
        if (key.size() < MIN_RSA_BITS) {
            throw new IllegalArgumentException(source + ": RSA key" + (key.getKeyID() == null ? "" : " kid=" + key.getKeyID())
                    + " has " + key.size() + " bits; at least " + MIN_RSA_BITS + " are required");
        }
        return key;
    }

    private static OctetSequenceKey hmac(byte[] secret) {
        if (secret.length < MIN_HMAC_BYTES) {
            throw new IllegalArgumentException("auth.hmac-secret: must be at least " + MIN_HMAC_BYTES + " bytes");
        }
        return new OctetSequenceKey.Builder(secret).build();
    }

    /** A PEM {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo) read with the JDK (nimbus needs BouncyCastle for PEM). */
    private static <K extends JWK> K pem(Path file, Class<K> type, String configKey) {
        try {
            String body = Files.readString(file).replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
            X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getDecoder().decode(body));
            JWK key = type == RSAKey.class
                    ? new RSAKey.Builder((RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(spec)).build()
                    : ecKey((ECPublicKey) KeyFactory.getInstance("EC").generatePublic(spec), null);
            return type.cast(key);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException(configKey + " " + file + ": not a PEM " + (type == RSAKey.class ? "RSA" : "EC")
                    + " public key: " + e.getMessage(), e);
        }
    }

    private static ECKey ecKey(ECPublicKey key, String kid) {
        Curve curve = Curve.forECParameterSpec(key.getParams());
        if (!Curve.P_256.equals(curve)) {
            throw new IllegalArgumentException("EC key on curve " + curve + "; ES256 needs P-256");
        }
        return new ECKey.Builder(curve, key).keyID(kid).build();
    }

    private static List<JWK> direct(byte[] hmacSecret, List<Named<RSAPublicKey>> rsa, List<Named<ECPublicKey>> ec) {
        List<JWK> keys = new ArrayList<>();
        if (hmacSecret != null) {
            keys.add(hmac(hmacSecret));
        }
        rsa.forEach(k -> keys.add(checked(new RSAKey.Builder(k.key()).keyID(k.kid()).build(), "rsa key")));
        ec.forEach(k -> keys.add(ecKey(k.key(), k.kid())));
        return keys;
    }
}
