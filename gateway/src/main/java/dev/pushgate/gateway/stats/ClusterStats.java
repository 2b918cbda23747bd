package dev.pushgate.gateway.stats;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The latest stats of every node, this one included. A node that has not reported for three of its own intervals
 * is forgotten (it stopped or lost Redis). Bounded: at most {@link #MAX_NODES} nodes are kept, so junk published
 * to the channel cannot grow it. Thread-safe; {@link #accept} never blocks (it runs on the broker's thread).
 */
public final class ClusterStats {
    /** Most nodes remembered at once. */
    public static final int MAX_NODES = 1000;
    private static final Logger log = LoggerFactory.getLogger(ClusterStats.class);
    private static final int MISSED_INTERVALS = 3;

    private record Entry(NodeStats stats, long expiresAtNanos) { }

    private final ConcurrentHashMap<String, Entry> nodes = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    /** {@code nanoClock} is {@link System#nanoTime} outside tests. */
    public ClusterStats(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Stats published to the stats topic by any node; invalid ones are dropped (logged at DEBUG). */
    public void accept(byte[] json) {
        NodeStats s;
        try {
            s = NodeStats.fromJson(json);
        } catch (IllegalArgumentException e) {
            log.debug("dropping invalid stats message: error={}", e.getMessage());
            return;
        }
        put(s);
    }

    /** Records {@code s} as the latest of its node. */
    public void put(NodeStats s) {
        long now = nanoClock.getAsLong();
        if (nodes.size() >= MAX_NODES && !nodes.containsKey(s.node())) {
            expire(now);
            if (nodes.size() >= MAX_NODES) {
                return;
            }
        }
        nodes.put(s.node(), new Entry(s, now + MISSED_INTERVALS * s.intervalMillis() * 1_000_000L));
    }

    /** The nodes heard from recently, ordered by node id. */
    public List<NodeStats> current() {
        long now = nanoClock.getAsLong();
        expire(now);
        return nodes.values().stream().map(Entry::stats).sorted(Comparator.comparing(NodeStats::node)).toList();
    }

    private void expire(long now) {
        nodes.values().removeIf(e -> now - e.expiresAtNanos() > 0);
    }
}
