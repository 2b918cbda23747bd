package dev.pushgate.bench.report;

import java.util.Map;

/**
 * How opening connections went: requested, ready (subscribed when subscribing), failures by reason, the wall time
 * it took, and the handshake-to-ready latency.
 */
public record ConnectResult(int requested, long ready, Map<String, Long> failures, double seconds,
                            Latency handshake) {
    public ConnectResult {
        failures = Map.copyOf(failures);
    }

    /** Failures summed over every reason. */
    public long failed() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Ready connections per second of connecting. */
    public double perSecond() {
        return seconds > 0 ? ready / seconds : 0;
    }
}
