package dev.pushgate.bench.stats;

import dev.pushgate.bench.net.ServerCloseException;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Failures counted by a short reason: a protocol error code, {@code close-<code>} for a server's Close frame, or an
 * exception's simple class name. Thread-safe.
 */
public final class FailureCounts {
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** Counts one failure with {@code reason}. */
    public void count(String reason) {
        counts.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** Counts one failure caused by {@code cause} ({@code null}: the connection closed without an error). */
    public void count(Throwable cause) {
        count(reasonOf(cause));
    }

    /** The total over every reason. */
    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** The counts by reason, sorted by reason. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((reason, count) -> copy.put(reason, count.sum()));
        return copy;
    }

    static String reasonOf(Throwable cause) {
        if (cause == null) {
            return "closed";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof ServerCloseException close) {
            return "close-" + close.code();
        }
        return root.getClass().getSimpleName();
    }
}
