package dev.pushgate.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Verifies compact JWS connection tokens (HS256, RS256, ES256) with nimbus-jose-jwt (ADR 0006): parsing, the
 * signature, {@code crit} (any critical header is refused: we understand no extension), {@code exp} and
 * {@code nbf} (no leeway), and when configured {@code aud} (the token's audience must include it) and {@code iss}
 * (must equal it). {@link TokenKeySelector} binds each algorithm to keys of its own type. Claims: {@code sub}
 * (required, a non-empty string), {@code subs}, {@code pubs}. Never does I/O (keys of a JWKS URL come from
 * {@link RemoteKeySet}'s cache), so it may run on an event loop. Thread-safe.
 */
public final class TokenVerifier implements AutoCloseable {
    private static final int MAX_TOKEN_CHARS = 8192;
    /** The claim a refusal of {@link DefaultJWTClaimsVerifier} names ("JWT aud claim rejected", "... [iss]"). */
    private static final Pattern AUD = Pattern.compile("\\baud\\b");
    private static final Pattern ISS = Pattern.compile("\\biss\\b");

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final RemoteKeySet remote;

    public TokenVerifier(VerificationKeys keys, Clock clock) {
        this(keys, null, clock, "", "");
    }

    /**
     * @param remote   the keys of a JWKS URL, or null; closed with this verifier
     * @param audience the required {@code aud} value, or empty for no check
     * @param issuer   the required {@code iss} value, or empty for no check
     */
    public TokenVerifier(VerificationKeys keys, RemoteKeySet remote, Clock clock, String audience, String issuer) {
        this.remote = remote;
        JWTClaimsSet exact = issuer.isEmpty() ? new JWTClaimsSet.Builder().build()
                : new JWTClaimsSet.Builder().issuer(issuer).build();
        Set<String> audiences = audience.isEmpty() ? null : Set.of(audience);
        DefaultJWTClaimsVerifier<SecurityContext> claims =
                new DefaultJWTClaimsVerifier<>(audiences, exact, new HashSet<>(), new HashSet<>()) {
                    @Override
                    protected Date currentTime() {
                        return Date.from(clock.instant());
                    }
                };
        claims.setMaxClockSkew(0);
        processor.setJWSKeySelector(new TokenKeySelector(keys, remote));
        processor.setJWTClaimsSetVerifier(claims);
        // Any typ (as before nimbus): aud and iss, when configured, are what tell our tokens from others.
        processor.setJWSTypeVerifier((type, context) -> { });
    }

    /** Verifies {@code token} and returns its claims, or throws with a client-safe reason. Never blocks. */
    public Claims verify(String token) throws TokenException {
        if (token == null || token.isEmpty()) {
            throw new TokenException("missing token");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new TokenException("token too long");
        }
        SignedJWT jwt = parse(token);
        JWTClaimsSet set;
        try {
            set = processor.process(jwt, null);
        } catch (TokenKeySelector.Refused e) {
            throw new TokenException(e.getMessage());
        } catch (ExpiredJWTException e) {
            throw new TokenException("token expired", true);
        } catch (BadJWSException e) {
            // nimbus's verifiers refuse every crit parameter they were not told about (we defer none).
            throw new TokenException(jwt.getHeader().getCriticalParams() == null ? "bad token signature"
                    : "unsupported critical token header");
        } catch (BadJWTException e) {
            throw new TokenException(reason(e));
        } catch (BadJOSEException | JOSEException e) {
            throw new TokenException("bad token signature");
        }
        return claims(set, jwt);
    }

    private static SignedJWT parse(String token) throws TokenException {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException | RuntimeException e) {
            throw new TokenException("malformed token");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw new TokenException("unsupported token algorithm"); // alg none (PlainJWT) or an encrypted token
        }
        try {
            signed.getJWTClaimsSet(); // a payload that is not a claims set (or a bad exp, nbf, sub type)
        } catch (ParseException e) {
            throw new TokenException("malformed token");
        }
        return signed;
    }

    /** A client-safe reason for a refused claims set, from the checks of {@link DefaultJWTClaimsVerifier}. */
    private static String reason(BadJWTException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("before use time")) {
            return "token not yet valid";
        }
        if (AUD.matcher(m).find()) {
            return "token audience not accepted";
        }
        if (ISS.matcher(m).find()) {
            return "token issuer not accepted";
        }
        return "token claims not accepted";
    }

    private static Claims claims(JWTClaimsSet set, SignedJWT jwt) throws TokenException {
        String sub = set.getSubject();
        // nimbus turns a numeric sub into a string (for non-compliant issuers); ours must be a JSON string.
        if (sub == null || sub.isEmpty() || !(jwt.getPayload().toJSONObject().get("sub") instanceof String)) {
            throw new TokenException("token without sub");
        }
        Date exp = set.getExpirationTime();
        return new Claims(sub, exp == null ? null : Instant.ofEpochMilli(exp.getTime()),
                strings(set.getClaim("subs")), strings(set.getClaim("pubs")));
    }

    private static List<String> strings(Object claim) {
        List<String> out = new ArrayList<>();
        if (claim instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String s) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** The JWKS URL's keys, or null when none is configured. */
    public RemoteKeySet remoteKeys() {
        return remote;
    }

    /** Stops the JWKS URL refreshes, if any. */
    @Override
    public void close() {
        if (remote != null) {
            remote.close();
        }
    }
}
