package dev.pushgate.bench.scenario;

import dev.pushgate.bench.load.ConnectLauncher;
import dev.pushgate.bench.load.PublisherGroup;
import dev.pushgate.bench.report.Console;
import dev.pushgate.bench.report.Latency;
import dev.pushgate.bench.report.Progress;
import dev.pushgate.bench.report.WindowResult;
import dev.pushgate.bench.stats.DeliveryStats;
import dev.pushgate.bench.stats.LatencyRecorder;
import dev.pushgate.bench.stats.ProcessSampler;
import dev.pushgate.bench.stats.ProcessSampler.ProcessSample;
import dev.pushgate.bench.stats.PublishStats;

import org.HdrHistogram.Histogram;

import java.util.List;

/**
 * One measurement window: start the publishers, print progress every second until they have issued everything
 * (or a grace time passes), stop them, then drain until every expected delivery and every publish answer has
 * arrived or the drain time is up. Counts are differences from the window's start, so windows can follow each
 * other on the same connections. Runs on the caller's thread.
 */
final class Measurement {
    private static final long POLL_MILLIS = 20;
    private static final long SECOND = 1_000_000_000L;

    private final PublisherGroup publishers;
    private final PublishStats publishStats;
    private final DeliveryStats deliveries;
    private final LatencyRecorder latency;
    private final ProcessSampler sampler;
    private final ProcessSampler self = new ProcessSampler(List.of(ProcessHandle.current().pid()));
    private final ConnectLauncher subscribers;
    private final int topics;
    private final Tick tick;

    /** Hears every progress second of a window (the reporting thread). */
    interface Tick {
        /**
         * One second: its end since the window's start, messages sent and deliveries received in it, and the
         * latency recorded in it.
         */
        void second(double elapsedSeconds, long sent, long received, Histogram latency);
    }

    /** A window; {@code tick} (may be null) hears every second. */
    Measurement(PublisherGroup publishers, PublishStats publishStats, DeliveryStats deliveries,
                LatencyRecorder latency, ProcessSampler sampler, ConnectLauncher subscribers, int topics,
                Tick tick) {
        this.tick = tick;
        this.publishers = publishers;
        this.publishStats = publishStats;
        this.deliveries = deliveries;
        this.latency = latency;
        this.sampler = sampler;
        this.subscribers = subscribers;
        this.topics = topics;
    }

    WindowResult run(double rate, double seconds, double drainSeconds, Console console, RunControl control) {
        long[] acceptedBefore = publishStats.acceptedPerTopic();
        long sentBefore = publishStats.sent();
        long failedBefore = publishStats.failed();
        DeliveryStats.Totals before = deliveries.totals();
        latency.newWindow();
        List<ProcessSample> processes = sampler.sample();
        sampler.newWindow();
        self.sample();
        self.newWindow();

        long start = System.nanoTime() + 5_000_000L;
        publishers.start(rate, seconds, start);
        long graceEnd = start + (long) (seconds * SECOND) + Math.max(5 * SECOND, (long) (seconds * SECOND / 2));
        long nextReport = start + SECOND;
        long lastSent = sentBefore;
        long lastReceived = before.received();
        long now = System.nanoTime();
        while (!control.pause(POLL_MILLIS)) {
            now = System.nanoTime();
            if (now >= nextReport) {
                long sent = publishStats.sent();
                long received = deliveries.received();
                Histogram interval = latency.sampleInterval();
                if (tick != null) {
                    tick.second((now - start) / 1e9, sent - lastSent, received - lastReceived, interval);
                }
                processes = sampler.sample();
                console.progress(new Progress((now - start) / 1e9, sent - lastSent, received - lastReceived,
                        latency.window().getValueAtPercentile(99), processes, self.sample().get(0).cpuPct()));
                lastSent = sent;
                lastReceived = received;
                nextReport += SECOND;
            }
            if (publishers.finished() || now >= graceEnd) {
                break;
            }
        }
        publishers.stop();
        double publishSeconds = Math.max(0, (now - start) / 1e9);

        long drainEnd = System.nanoTime() + (long) (drainSeconds * SECOND);
        while (System.nanoTime() < drainEnd && !complete(acceptedBefore, sentBefore, failedBefore, before)
                && !control.pause(POLL_MILLIS)) {
            // waiting for stragglers
        }
        processes = sampler.sample();
        ProcessSample bench = self.sample().get(0);
        long sent = publishStats.sent() - sentBefore;
        long[] accepted = publishStats.acceptedPerTopic();
        long acceptedTotal = 0;
        for (int t = 0; t < topics; t++) {
            acceptedTotal += accepted[t] - acceptedBefore[t];
        }
        return new WindowResult(rate, publishSeconds, sent, acceptedTotal, publishStats.failed() - failedBefore,
                expected(acceptedBefore, accepted), deliveries.totals().minus(before),
                Latency.of(latency.newWindow()), processes, bench);
    }

    private boolean complete(long[] acceptedBefore, long sentBefore, long failedBefore, DeliveryStats.Totals before) {
        long[] accepted = publishStats.acceptedPerTopic();
        long answered = publishStats.failed() - failedBefore;
        for (int t = 0; t < topics; t++) {
            answered += accepted[t] - acceptedBefore[t];
        }
        boolean allAnswered = answered >= publishStats.sent() - sentBefore;
        return allAnswered && deliveries.unique() - before.unique() >= expected(acceptedBefore, accepted);
    }

    private long expected(long[] acceptedBefore, long[] accepted) {
        long expected = 0;
        for (int t = 0; t < topics; t++) {
            expected += (accepted[t] - acceptedBefore[t]) * subscribers.readyOnTopic(t);
        }
        return expected;
    }
}
