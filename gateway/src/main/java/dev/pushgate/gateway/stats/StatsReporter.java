package dev.pushgate.gateway.stats;

import dev.pushgate.gateway.policy.NamespacePolicies;
import dev.pushgate.gateway.publish.PublishService;
import dev.pushgate.gateway.publish.PublishSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Every {@code stats.interval}: samples this node's gauges and counters, turns the counters into per-second rates
 * over the last few seconds, records the result in {@link ClusterStats} and publishes it to {@link
 * #TOPIC} (source {@code internal}) for the other nodes and the admin pages. While the channel layer is
 * down it publishes nothing (the other nodes forget this one, and no publish error is counted every interval).
 * {@link #run} is called by one scheduler thread at a time.
 */
public final class StatsReporter implements Runnable {
    /** The internal topic every node publishes its stats to (the hub's node-internal subscriber feeds them to
     * {@link ClusterStats}). */
    public static final String TOPIC = NamespacePolicies.INTERNAL_NAMESPACE + ".stats";
    /** The window the rates are averaged over (at least two intervals). */
    static final long RATE_WINDOW_NANOS = 5_000_000_000L;
    private static final Logger log = LoggerFactory.getLogger(StatsReporter.class);

    /** What a node counts, read at each tick; the four totals only ever grow. */
    public record Sample(long connections, long topics, long subscriptions, double messagesIn, double messagesOut,
                         double bytesIn, double bytesOut) { }

    private record Point(long nanos, Sample sample) { }

    private final String node;
    private final String layer;
    private final long intervalMillis;
    private final Supplier<Sample> sampler;
    private final BooleanSupplier ready;
    private final ClusterStats cluster;
    private final PublishService publisher;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final ArrayDeque<Point> window = new ArrayDeque<>();

    public StatsReporter(String node, String layer, long intervalMillis, Supplier<Sample> sampler,
                         BooleanSupplier ready, ClusterStats cluster, PublishService publisher,
                         LongSupplier nanoClock) {
        this.node = node;
        this.layer = layer;
        this.intervalMillis = intervalMillis;
        this.sampler = sampler;
        this.ready = ready;
        this.cluster = cluster;
        this.publisher = publisher;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        window.add(new Point(startNanos, new Sample(0, 0, 0, 0, 0, 0, 0)));
    }

    @Override
    public void run() {
        try {
            NodeStats stats = tick();
            cluster.put(stats);
            if (publisher != null && ready.getAsBoolean()) {
                publisher.publish(TOPIC, stats.toJson(), PublishSource.INTERNAL);
            }
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log and keep reporting.
            log.warn("stats sampling failed", e);
        }
    }

    /** Takes a sample and computes this node's stats from it. */
    NodeStats tick() {
        long now = nanoClock.getAsLong();
        Sample s = sampler.get();
        window.addLast(new Point(now, s));
        long keep = Math.max(RATE_WINDOW_NANOS, 2 * intervalMillis * 1_000_000L);
        while (window.size() > 2 && now - window.peekFirst().nanos() > keep) {
            window.removeFirst();
        }
        Point oldest = window.peekFirst();
        double seconds = Math.max(1e-3, (now - oldest.nanos()) / 1e9);
        Sample o = oldest.sample();
        return new NodeStats(node, layer, ready.getAsBoolean(), (now - startNanos) / 1_000_000_000L,
                s.connections(), s.topics(), s.subscriptions(),
                rate(s.messagesIn(), o.messagesIn(), seconds), rate(s.messagesOut(), o.messagesOut(), seconds),
                rate(s.bytesIn(), o.bytesIn(), seconds), rate(s.bytesOut(), o.bytesOut(), seconds),
                intervalMillis, System.currentTimeMillis());
    }

    private static double rate(double now, double then, double seconds) {
        return Math.max(0, now - then) / seconds;
    }
}
