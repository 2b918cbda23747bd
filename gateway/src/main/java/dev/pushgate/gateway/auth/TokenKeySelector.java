package dev.pushgate.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;

import java.security.Key;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Picks the keys a token's signature is checked against: only HS256, RS256 and ES256, and for each only keys of
 * its own type ({@code oct} for HS256, RSA for RS256, EC P-256 for ES256) whose {@code use} and {@code alg}, when
 * given, allow it — so an HS256 token is never checked against an RSA public key (algorithm confusion), and
 * {@code none} never gets here. With a {@code kid} in the header, keys with that {@code kid} or with none (PEM
 * files, the HMAC secret) are candidates. When no key of a JWKS URL matches, a background refresh is requested and
 * the token is refused as {@code unknown token key}. Never blocks. Thread-safe.
 */
final class TokenKeySelector implements JWSKeySelector<SecurityContext> {
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    private final VerificationKeys local;
    private final RemoteKeySet remote;

    /** {@code remote} may be null (no JWKS URL). */
    TokenKeySelector(VerificationKeys local, RemoteKeySet remote) {
        this.local = local;
        this.remote = remote;
    }

    @Override
    public List<Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
        JWSAlgorithm alg = header.getAlgorithm();
        if (!ALGORITHMS.contains(alg)) {
            throw new Refused("unsupported token algorithm");
        }
        boolean remoteApplies = remote != null && !alg.equals(JWSAlgorithm.HS256);
        JWKMatcher family = matcher(alg, null);
        if (!remoteApplies && local.keys().stream().noneMatch(c -> family.matches(c.jwk()))) {
            throw new Refused("unsupported token algorithm");
        }
        JWKMatcher matcher = matcher(alg, header.getKeyID());
        List<Key> keys = new ArrayList<>();
        add(local.keys(), matcher, keys);
        if (remoteApplies) {
            add(remote.keys(), matcher, keys);
        }
        if (keys.isEmpty()) {
            if (remoteApplies) {
                remote.refreshSoon();
            }
            throw new Refused("unknown token key");
        }
        return keys;
    }

    private static JWKMatcher matcher(JWSAlgorithm alg, String kid) {
        JWKMatcher.Builder b = new JWKMatcher.Builder()
                .keyType(KeyType.forAlgorithm(alg))
                .keyUses(KeyUse.SIGNATURE, null)
                .algorithms(alg, null);
        if (alg.equals(JWSAlgorithm.ES256)) {
            b.curve(Curve.P_256);
        }
        if (kid != null) {
            b.keyIDs(new HashSet<>(Arrays.asList(kid, null)));
        }
        return b.build();
    }

    private static void add(List<KeyCandidate> candidates, JWKMatcher matcher, List<Key> out) {
        for (KeyCandidate c : candidates) {
            if (matcher.matches(c.jwk())) {
                out.add(c.key());
            }
        }
    }

    /** A token refused before any signature check; the message is safe to show the client. */
    static final class Refused extends KeySourceException {
        Refused(String message) {
            super(message);
        }
    }
}
