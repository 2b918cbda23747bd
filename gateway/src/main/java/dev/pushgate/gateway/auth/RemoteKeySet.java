package dev.pushgate.gateway.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The keys of a JWKS URL ({@code auth.jwks-url}), fetched on one background daemon thread and read lock-free by
 * the event loops: verifying a token never does I/O. The set is fetched at start (start waits at most
 * {@link #FETCH_TIMEOUT} and a second for it), then every {@code refresh}, and again when a token names a key that
 * is not in the set ({@link #refreshSoon()}), at most once per {@code minRefetch} counted from the previous fetch of
 * any kind, and never while such a fetch is still queued or running. A failed fetch keeps the previous keys and is retried by the next refresh; an RSA key under
 * {@link VerificationKeys#MIN_RSA_BITS} is left out of the set with a warning. Thread-safe.
 */
public final class RemoteKeySet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RemoteKeySet.class);
    /** Connect and read timeout of one fetch. */
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
    /** The largest key set document read. */
    static final int MAX_BYTES = 256 * 1024;

    private final URI url;
    private final long minRefetchMillis;
    private final Clock clock;
    private final ResourceRetriever retriever;
    private final ScheduledExecutorService fetcher;
    private final AtomicLong lastFetchMillis = new AtomicLong();
    private final AtomicLong fetches = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong successes = new AtomicLong();
    /** A triggered fetch is queued or running: at most one waits, whatever the rate limit. */
    private final AtomicBoolean triggered = new AtomicBoolean();
    private volatile List<KeyCandidate> keys = List.of();

    private RemoteKeySet(URI url, Duration minRefetch, Clock clock) {
        this.url = url;
        this.minRefetchMillis = minRefetch.toMillis();
        this.clock = clock;
        int timeout = (int) FETCH_TIMEOUT.toMillis();
        this.retriever = new DefaultResourceRetriever(timeout, timeout, MAX_BYTES);
        this.fetcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pushgate-jwks");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts fetching {@code url}: waits for the first fetch (at most {@link #FETCH_TIMEOUT} and a second; a failure
     * is logged, not thrown), then refreshes every {@code refresh} in the background.
     *
     * @param minRefetch the least time between a fetch and one triggered by an unknown key
     * @param clock      the time the rate limit is measured with (the refresh period uses real time)
     */
    public static RemoteKeySet start(URI url, Duration refresh, Duration minRefetch, Clock clock) {
        RemoteKeySet set = new RemoteKeySet(url, minRefetch, clock);
        set.lastFetchMillis.set(clock.millis());
        Future<?> first = set.fetcher.submit(set::fetch);
        try {
            first.get(FETCH_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("token keys not fetched at start; continuing without them: url={}", url);
        }
        long period = refresh.toMillis();
        set.fetcher.scheduleWithFixedDelay(() -> {
            set.lastFetchMillis.set(clock.millis());
            set.fetch();
        }, period, period, TimeUnit.MILLISECONDS);
        return set;
    }

    /** The keys of the last successful fetch (RSA and EC public keys); never blocks. */
    List<KeyCandidate> keys() {
        return keys;
    }

    /**
     * A token named a key that is not in the set: fetch again in the background unless a fetch started less than
     * {@code minRefetch} ago. Never blocks; the token that asked is refused meanwhile.
     */
    void refreshSoon() {
        long now = clock.millis();
        long last = lastFetchMillis.get();
        if (now - last < minRefetchMillis || triggered.get() || !lastFetchMillis.compareAndSet(last, now)
                || !triggered.compareAndSet(false, true)) {
            return;
        }
        try {
            fetcher.execute(() -> {
                try {
                    fetch();
                } finally {
                    triggered.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            triggered.set(false); // closed: the node is stopping
        }
    }

    /** How many fetches were attempted. */
    public long fetches() {
        return fetches.get();
    }

    /** How many fetches brought a key set. */
    public long successes() {
        return successes.get();
    }

    /** How many fetches failed (no answer, not a JWK set); the previous keys stayed in use. */
    public long failures() {
        return failures.get();
    }

    private void fetch() {
        fetches.incrementAndGet();
        try {
            JWKSet set = JWKSet.parse(retriever.retrieveResource(url.toURL()).getContent());
            List<JWK> usable = new ArrayList<>();
            for (JWK k : set.getKeys()) {
                try {
                    usable.addAll(VerificationKeys.publicSigningKeys(new JWKSet(k), "auth.jwks-url " + url));
                } catch (IllegalArgumentException e) {
                    log.warn("token key left out: reason={}", e.getMessage());
                }
            }
            List<KeyCandidate> before = keys;
            keys = KeyCandidate.of(usable);
            successes.incrementAndGet();
            if (!kids(before.stream().map(KeyCandidate::jwk).toList()).equals(kids(usable))) {
                log.info("token keys fetched: url={} kids={}", url, kids(usable));
            }
        } catch (Exception e) {
            // Everything, so that the periodic refresh keeps running; the old keys stay in use.
            failures.incrementAndGet();
            log.warn("cannot fetch token keys; keeping the previous ones: url={} error={}", url, e.toString());
        }
    }

    private static List<String> kids(List<JWK> keys) {
        return keys.stream().map(k -> String.valueOf(k.getKeyID())).sorted().toList();
    }

    /** Stops the background fetches. */
    @Override
    public void close() {
        fetcher.shutdownNow();
    }
}
