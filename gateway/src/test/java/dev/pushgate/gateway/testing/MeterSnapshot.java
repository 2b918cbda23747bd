package dev.pushgate.gateway.testing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The values of a node's meters at one moment, read from its registry in the JVM (no scrape to parse): counters'
 * counts, gauges' values, timers' and summaries' counts and totals. Two snapshots give exact deltas; {@code /metrics}
 * is the same registry in the Prometheus text format, which {@code promtool} and a real Prometheus check.
 */
public final class MeterSnapshot {
    private final Map<Meter.Id, Double> counts = new HashMap<>();
    private final Map<Meter.Id, Double> totals = new HashMap<>();

    private MeterSnapshot() {
    }

    /** Reads every meter of {@code registry} now. */
    public static MeterSnapshot of(MeterRegistry registry) {
        MeterSnapshot s = new MeterSnapshot();
        for (Meter m : registry.getMeters()) {
            Meter.Id id = m.getId();
            if (m instanceof Counter c) {
                s.counts.put(id, c.count());
            } else if (m instanceof FunctionCounter c) {
                s.counts.put(id, c.count());
            } else if (m instanceof TimeGauge g) {
                s.counts.put(id, g.value(TimeUnit.SECONDS));
            } else if (m instanceof Gauge g) {
                s.counts.put(id, g.value());
            } else if (m instanceof Timer t) {
                s.counts.put(id, (double) t.count());
                s.totals.put(id, t.totalTime(TimeUnit.SECONDS));
            } else if (m instanceof FunctionTimer t) {
                s.counts.put(id, t.count());
                s.totals.put(id, t.totalTime(TimeUnit.SECONDS));
            } else if (m instanceof DistributionSummary d) {
                s.counts.put(id, (double) d.count());
                s.totals.put(id, d.totalAmount());
            }
        }
        return s;
    }

    /** Whether a meter {@code name} with these tags ({@code key, value, ...}) exists. */
    public boolean has(String name, String... tags) {
        return counts.keySet().stream().anyMatch(id -> matches(id, name, tags));
    }

    /** The sum over the meters {@code name} with these tags of their count (counters, timers) or value (gauges). */
    public double count(String name, String... tags) {
        return sum(counts, name, tags);
    }

    /** The sum of the total (seconds for timers) of the timers or summaries {@code name} with these tags. */
    public double total(String name, String... tags) {
        return sum(totals, name, tags);
    }

    private static double sum(Map<Meter.Id, Double> values, String name, String... tags) {
        return values.entrySet().stream().filter(e -> matches(e.getKey(), name, tags))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    private static boolean matches(Meter.Id id, String name, String... tags) {
        if (!id.getName().equals(name)) {
            return false;
        }
        for (int i = 0; i + 1 < tags.length; i += 2) {
            if (!tags[i + 1].equals(id.getTag(tags[i]))) {
                return false;
            }
        }
        return true;
    }
}
