package dev.pushgate.bench.report;

import dev.pushgate.bench.stats.DeliveryStats;
import dev.pushgate.bench.stats.ProcessSampler.ProcessSample;

import java.util.List;

/**
 * One publishing window and its drain: what was sent and accepted, what was expected (accepted messages times the
 * subscribers of their topic) and delivered, loss, order, latency, the sampled server processes, and the bench's
 * own process (a bench near 100 % of its threads measures itself, not the server).
 */
public record WindowResult(double targetRate, double publishSeconds, long sent, long accepted, long publishFailed,
                           long expected, DeliveryStats.Totals deliveries, Latency latency,
                           List<ProcessSample> processes, ProcessSample bench) {
    public WindowResult {
        processes = List.copyOf(processes);
    }

    /** Expected deliveries that never arrived. */
    public long lost() {
        return Math.max(0, expected - deliveries.unique());
    }

    /** {@link #lost()} as a percentage of the expected deliveries. */
    public double lossPct() {
        return expected > 0 ? 100.0 * lost() / expected : 0;
    }

    /** Accepted messages a second over the publishing time. */
    public double sentPerSecond() {
        return publishSeconds > 0 ? accepted / publishSeconds : 0;
    }

    /** Unique deliveries a second over the publishing time. */
    public double deliveredPerSecond() {
        return publishSeconds > 0 ? deliveries.unique() / publishSeconds : 0;
    }
}
