package dev.pushgate.gateway.broker;

import java.time.Duration;

/**
 * How much history a topic keeps (from its namespace: {@code namespaces.<ns>.history-size} and {@code history-ttl}).
 * {@link #NONE} keeps nothing: publications are still sequenced, but never replayed.
 */
public record HistoryPolicy(int size, Duration ttl) {
    public static final HistoryPolicy NONE = new HistoryPolicy(0, Duration.ZERO);

    /** Whether publications are kept at all. */
    public boolean enabled() {
        return size > 0 && ttl.compareTo(Duration.ZERO) > 0;
    }
}
