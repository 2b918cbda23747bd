package dev.pushgate.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks {@code Authorization: Bearer <key>} against the configured keys in constant time. A configured entry is
 * {@code key} (every scope) or {@code key:scope|scope} with scopes {@code publish}, {@code presence}, {@code history} and
 * {@code stats}. Immutable.
 */
public final class ApiKeys {
    /** Every scope an API key can carry. */
    public static final Set<String> SCOPES = Set.of("publish", "presence", "stats", "history");
    private static final String BEARER = "Bearer ";

    private record Entry(byte[] key, Set<String> scopes) { }

    private final List<Entry> entries;

    public ApiKeys(List<String> configured) {
        this.entries = configured.stream().map(ApiKeys::parse).toList();
    }

    private static Entry parse(String entry) {
        int colon = entry.indexOf(':');
        String key = colon < 0 ? entry : entry.substring(0, colon);
        Set<String> scopes = colon < 0 ? SCOPES
                : Arrays.stream(entry.substring(colon + 1).split("\\|")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        for (String s : scopes) {
            if (!SCOPES.contains(s)) {
                throw new IllegalArgumentException("unknown API key scope '" + s + "' (known: " + SCOPES + ")");
            }
        }
        return new Entry(key.getBytes(StandardCharsets.UTF_8), scopes);
    }

    /** What {@link #check} found in an {@code Authorization} header. */
    public enum Verdict {
        /** A configured key that carries the scope. */
        ALLOWED,
        /** No bearer key, or one that is not configured (HTTP 401). */
        UNKNOWN_KEY,
        /** A configured key without the scope asked for (HTTP 403). */
        MISSING_SCOPE
    }

    /** Whether the header carries a configured key, and whether that key has {@code scope}. */
    public Verdict check(String authorization, String scope) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Verdict.UNKNOWN_KEY;
        }
        byte[] presented = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        boolean known = false;
        boolean scoped = false;
        for (Entry e : entries) {
            // Compare every key, so timing does not tell which one (or whether any) matched.
            boolean match = MessageDigest.isEqual(e.key(), presented);
            known |= match;
            scoped |= match && e.scopes().contains(scope);
        }
        return scoped ? Verdict.ALLOWED : known ? Verdict.MISSING_SCOPE : Verdict.UNKNOWN_KEY;
    }

    /** Whether the header carries a key with {@code scope}. */
    public boolean accepts(String authorization, String scope) {
        return check(authorization, scope) == Verdict.ALLOWED;
    }

    /** Whether the header carries any configured key (whatever its scopes). */
    public boolean accepts(String authorization) {
        for (String scope : SCOPES) {
            if (accepts(authorization, scope)) {
                return true;
            }
        }
        return false;
    }
}
