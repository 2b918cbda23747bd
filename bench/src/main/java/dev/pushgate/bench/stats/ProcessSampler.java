package dev.pushgate.bench.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples CPU% and RSS of the observed processes (the gateways) from {@code /proc}. CPU% is the CPU time used
 * between two samples over the wall time between them, so 200 % means two cores busy. Keeps, per process, the
 * average over the measurement window and the maxima. Not thread-safe: one reporting thread calls it.
 */
public final class ProcessSampler {
    /** Linux USER_HZ; 100 on every mainstream architecture and not readable from Java. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final List<Watched> watched = new ArrayList<>();

    /** A sampler of the processes {@code pids}; an empty list samples nothing. */
    public ProcessSampler(List<Long> pids) {
        for (long pid : pids) {
            watched.add(new Watched(pid));
        }
    }

    /** Takes one sample of every process and returns the current state of each. */
    public List<ProcessSample> sample() {
        long now = System.nanoTime();
        List<ProcessSample> out = new ArrayList<>(watched.size());
        for (Watched w : watched) {
            out.add(w.sample(now));
        }
        return out;
    }

    /** Starts a new averaging window (maxima too) from the last sample on. */
    public void newWindow() {
        for (Watched w : watched) {
            w.windowTicks = w.lastTicks;
            w.windowNanos = w.lastNanos;
            w.maxCpu = 0;
            w.maxRss = 0;
        }
    }

    /** One process as of the latest sample: CPU% since the previous sample, averaged over the window, and RSS. */
    public record ProcessSample(long pid, boolean alive, double cpuPct, double cpuAvgPct, double cpuMaxPct,
                                long rssBytes, long rssMaxBytes) {
    }

    /** Reads the resident set of {@code pid} in bytes, or {@code -1}. */
    public static long rssBytes(long pid) {
        try {
            return ProcStat.statusBytes(Files.readString(Path.of("/proc", Long.toString(pid), "status")), "VmRSS");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static final class Watched {
        private final long pid;
        private long lastTicks = -1;
        private long lastNanos;
        private long windowTicks = -1;
        private long windowNanos;
        private double maxCpu;
        private long maxRss;

        Watched(long pid) {
            this.pid = pid;
        }

        ProcessSample sample(long now) {
            long ticks;
            try {
                ticks = ProcStat.cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
            } catch (IOException | RuntimeException e) {
                ticks = -1;
            }
            long rss = rssBytes(pid);
            if (ticks < 0) {
                return new ProcessSample(pid, false, 0, average(now), maxCpu, rss, maxRss);
            }
            double cpu = lastTicks < 0 ? 0 : percent(ticks - lastTicks, now - lastNanos);
            if (windowTicks < 0) {
                windowTicks = ticks;
                windowNanos = now;
            }
            lastTicks = ticks;
            lastNanos = now;
            maxCpu = Math.max(maxCpu, cpu);
            maxRss = Math.max(maxRss, rss);
            return new ProcessSample(pid, true, cpu, average(now), maxCpu, rss, maxRss);
        }

        private double average(long now) {
            return windowTicks < 0 ? 0 : percent(lastTicks - windowTicks, lastNanos - windowNanos);
        }

        private static double percent(long ticks, long nanos) {
            return nanos <= 0 ? 0 : 100.0 * (ticks / TICKS_PER_SECOND) / (nanos / 1e9);
        }
    }
}
