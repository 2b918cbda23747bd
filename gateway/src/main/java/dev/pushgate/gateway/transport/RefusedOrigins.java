package dev.pushgate.gateway.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Logs WebSocket upgrades refused for their {@code Origin} at INFO, so an operator sees why a browser keeps
 * reconnecting, at most one line per origin per {@link #INTERVAL_NANOS} and for at most {@value #MAX_ORIGINS}
 * distinct origins per interval (a flood of made-up origins cannot flood the log). Thread-safe: shared by every
 * channel's event loop.
 */
final class RefusedOrigins {
    static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    static final int MAX_ORIGINS = 256;
    private static final int MAX_ORIGIN_CHARS = 200;
    private static final Logger log = LoggerFactory.getLogger(RefusedOrigins.class);

    private final LongSupplier nanoTime;
    /** Origin → when it was last logged. */
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    RefusedOrigins(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Records a refusal of {@code origin} (as sent) on a request for {@code host}; logs it unless logged lately. */
    void refused(String origin, String host) {
        String key = origin.length() > MAX_ORIGIN_CHARS ? origin.substring(0, MAX_ORIGIN_CHARS) : origin;
        long now = nanoTime.getAsLong();
        if (!lastLogged.containsKey(key) && lastLogged.size() >= MAX_ORIGINS) {
            expire(now);
            if (lastLogged.size() >= MAX_ORIGINS) {
                return;
            }
        }
        boolean[] due = new boolean[1];
        lastLogged.compute(key, (k, last) -> {
            due[0] = last == null || now - last >= INTERVAL_NANOS;
            return due[0] ? now : last;
        });
        if (due[0]) {
            log.info("websocket upgrade refused, origin not allowed by ws.allowed-origins: origin={} host={}", key, host);
        }
    }

    private void expire(long now) {
        for (Iterator<Long> it = lastLogged.values().iterator(); it.hasNext(); ) {
            if (now - it.next() >= INTERVAL_NANOS) {
                it.remove();
            }
        }
    }
}
