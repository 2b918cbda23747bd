package dev.pushgate.bench.load;

import dev.pushgate.bench.stats.DeliveryStats;
import dev.pushgate.bench.stats.LatencyRecorder;
import dev.pushgate.bench.stats.MicroClock;
import dev.pushgate.bench.dialect.Dialect;

/**
 * What every subscriber shares: the dialect, the clock, the latency recorder, the delivery counters, and the
 * number of publisher streams to track. All thread-safe.
 */
public record SubscriberContext(Dialect dialect, MicroClock clock, LatencyRecorder latency, DeliveryStats stats,
                                int streams) {
}
