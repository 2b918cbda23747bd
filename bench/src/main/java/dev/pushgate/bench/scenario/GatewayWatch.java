package dev.pushgate.bench.scenario;

import dev.pushgate.bench.report.OverloadResult;
import dev.pushgate.bench.stats.GatewayMetricsProbe;
import dev.pushgate.bench.stats.GatewayMetricsProbe.Sample;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the gateways' metrics once a second on a thread of its own (a gateway that is slow to answer must not delay
 * the bench's progress ticks) and keeps, per gateway, the first and the latest sample and the highest memory and
 * GC pause seen. Thread-safe.
 */
final class GatewayWatch implements AutoCloseable {
    private final GatewayMetricsProbe probe;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-gateway-metrics");
        t.setDaemon(true);
        return t;
    });
    private final Map<URI, Sample> first = new LinkedHashMap<>();
    private final Map<URI, Sample> latest = new LinkedHashMap<>();
    private final Map<URI, long[]> maxMemory = new HashMap<>();
    private final Map<URI, Double> maxPause = new HashMap<>();

    GatewayWatch(List<URI> urls) {
        this.probe = new GatewayMetricsProbe(urls);
    }

    /** Takes a first sample now, then one a second. */
    void start() {
        poll();
        thread.scheduleWithFixedDelay(this::poll, 1, 1, TimeUnit.SECONDS);
    }

    private void poll() {
        List<Sample> samples = probe.sample();
        synchronized (this) {
            for (Sample s : samples) {
                first.putIfAbsent(s.url(), s);
                latest.put(s.url(), s);
                long[] m = maxMemory.computeIfAbsent(s.url(), u -> new long[3]);
                m[0] = Math.max(m[0], s.budgetUsed());
                m[1] = Math.max(m[1], s.heapUsed());
                m[2] = Math.max(m[2], s.directUsed());
                maxPause.merge(s.url(), s.gcPauseMaxSeconds(), Math::max);
            }
        }
    }

    /** The latest sample of every gateway that answered at least once. */
    synchronized List<Sample> latest() {
        return new ArrayList<>(latest.values());
    }

    /** Every gateway's numbers since {@link #start()}. */
    synchronized List<OverloadResult.Gateway> summary() {
        List<OverloadResult.Gateway> out = new ArrayList<>();
        for (Map.Entry<URI, Sample> e : latest.entrySet()) {
            Sample a = first.get(e.getKey());
            Sample b = e.getValue();
            Map<String, Long> dropped = new TreeMap<>();
            b.dropped().forEach((reason, n) -> dropped.put(reason, n - a.dropped().getOrDefault(reason, 0L)));
            long[] m = maxMemory.get(e.getKey());
            out.add(new OverloadResult.Gateway(e.getKey().toString(), b.budgetLimit(), m[0], m[1], m[2],
                    maxPause.get(e.getKey()), b.gcPauseSeconds() - a.gcPauseSeconds(), b.gcPauses() - a.gcPauses(),
                    dropped, b.slowCloses() - a.slowCloses()));
        }
        return out;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
