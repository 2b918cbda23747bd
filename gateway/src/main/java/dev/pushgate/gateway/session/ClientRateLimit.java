package dev.pushgate.gateway.session;

import dev.pushgate.gateway.config.GatewayConfig;
import dev.pushgate.gateway.metrics.GatewayMetrics;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client message rate limit, the one place every client message goes through whatever its transport:
 * {@code limits.messages-per-second} refilling a bucket of {@code limits.messages-burst}. A WebSocket has one
 * {@link TokenBucket} per connection ({@link #connectionBucket()}, loop-confined); a request of the HTTP fallback
 * ({@code POST /api/client/publish}) takes from the bucket of its client ({@link #admit(String)}): the token's
 * subject when authenticated, else the client IP. Every refusal counts as {@code pushgate.rate_limited}.
 *
 * <p>The keyed buckets are bounded: a bucket unused for as long as it takes to refill is full again, the same as a
 * new one, so it is dropped (oldest first, checked on every admission); and at most {@value #MAX_KEYS} keys are
 * kept, the least recently used giving way (its client starts again with a full bucket). Many addresses or subjects
 * therefore cost bounded memory. The keyed side is thread-safe (one lock, held for a lookup and a subtraction).
 */
public final class ClientRateLimit {
    /** Most clients with a bucket of their own on the keyed side. */
    public static final int MAX_KEYS = 65_536;

    /** The decision on one message. */
    public enum Verdict {
        /** Take it. */
        ALLOWED,
        /** Refuse it with {@code rate_limited}; the client may go on. */
        REFUSED,
        /** Refuse it: the client kept sending over the limit for a whole burst after being told; close it (4002). */
        FLOODING
    }

    private final int ratePerSecond;
    private final int burst;
    private final long idleNanos;
    private final int maxKeys;
    private final GatewayMetrics metrics;
    private final LinkedHashMap<String, Keyed> byKey = new LinkedHashMap<>(16, 0.75f, true);

    public ClientRateLimit(GatewayConfig.Limits limits, GatewayMetrics metrics) {
        this(limits.messagesPerSecond(), limits.messagesBurst(), MAX_KEYS, metrics);
    }

    /** {@code maxKeys}: most keyed buckets kept (tests use a small one). */
    public ClientRateLimit(int ratePerSecond, int burst, int maxKeys, GatewayMetrics metrics) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.idleNanos = (long) Math.ceil(burst * 1e9 / ratePerSecond);
        this.maxKeys = maxKeys;
        this.metrics = metrics;
    }

    /** A new bucket for one connection (full); use it with {@link #admit(TokenBucket)} on its loop only. */
    public TokenBucket connectionBucket() {
        return new TokenBucket(ratePerSecond, burst);
    }

    /** One message of the connection that owns {@code bucket}. */
    public Verdict admit(TokenBucket bucket) {
        if (bucket.tryTake(System.nanoTime())) {
            return Verdict.ALLOWED;
        }
        metrics.rateLimited();
        return bucket.refusedInARow() > burst ? Verdict.FLOODING : Verdict.REFUSED;
    }

    /** One message of the client {@code key} (e.g. {@code sub:alice}, {@code ip:192.0.2.1}). Any thread. */
    public Verdict admit(String key) {
        long now = System.nanoTime();
        boolean taken;
        synchronized (byKey) {
            expire(now);
            Keyed k = byKey.get(key);
            if (k == null) {
                k = new Keyed(new TokenBucket(ratePerSecond, burst));
                byKey.put(key, k);
                if (byKey.size() > maxKeys) {
                    Iterator<Keyed> eldest = byKey.values().iterator();
                    eldest.next();
                    eldest.remove();
                }
            }
            k.lastUsed = now;
            taken = k.bucket.tryTake(now);
        }
        if (taken) {
            return Verdict.ALLOWED;
        }
        metrics.rateLimited();
        return Verdict.REFUSED;
    }

    /** Keyed buckets held now (for tests). */
    public int keys() {
        synchronized (byKey) {
            return byKey.size();
        }
    }

    /** Drops the buckets that have refilled since their last use (access order: the oldest come first). */
    private void expire(long now) {
        Iterator<Map.Entry<String, Keyed>> it = byKey.entrySet().iterator();
        while (it.hasNext()) {
            if (now - it.next().getValue().lastUsed < idleNanos) {
                return;
            }
            it.remove();
        }
    }

    private static final class Keyed {
        final TokenBucket bucket;
        long lastUsed;

        Keyed(TokenBucket bucket) {
            this.bucket = bucket;
        }
    }
}
