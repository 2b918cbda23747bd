package dev.pushgate.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;

import java.security.Key;
import java.util.ArrayList;
import java.util.List;

/**
 * A verification key as a JWK (matched by type, {@code use}, {@code alg} and {@code kid}) with its JCA key, converted
 * once when the keys are loaded or fetched rather than for every token.
 */
record KeyCandidate(JWK jwk, Key key) {

    /** The candidates of {@code keys}: {@code oct} keys as HMAC-SHA256 secrets, RSA and EC keys as public keys. */
    static List<KeyCandidate> of(List<JWK> keys) {
        List<KeyCandidate> out = new ArrayList<>();
        for (JWK k : keys) {
            try {
                if (k instanceof OctetSequenceKey oct) {
                    out.add(new KeyCandidate(k, oct.toSecretKey("HmacSHA256")));
                } else if (k instanceof AsymmetricJWK asymmetric) {
                    out.add(new KeyCandidate(k, asymmetric.toPublicKey()));
                }
            } catch (JOSEException e) {
                throw new IllegalArgumentException("unusable key" + (k.getKeyID() == null ? "" : " kid=" + k.getKeyID())
                        + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }
}
