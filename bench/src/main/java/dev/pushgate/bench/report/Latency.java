package dev.pushgate.bench.report;

import org.HdrHistogram.Histogram;

/** Latency percentiles in microseconds over {@code count} recorded values. */
public record Latency(long count, long p50, long p90, long p99, long p999, long max, double mean) {
    /** The percentiles of {@code h}. */
    public static Latency of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new Latency(0, 0, 0, 0, 0, 0, 0);
        }
        return new Latency(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(), h.getMean());
    }
}
