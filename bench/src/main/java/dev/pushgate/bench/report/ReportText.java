package dev.pushgate.bench.report;

import dev.pushgate.bench.stats.ProcessSampler.ProcessSample;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The human text of progress lines and summaries. Pure functions. */
public final class ReportText {
    private ReportText() {
    }

    static String progress(Progress p) {
        return String.format(Locale.ROOT, "[%5.1fs] sent %9s/s  delivered %9s/s  p99 %9s  bench cpu %3.0f%%%s",
                p.elapsedSeconds(), count(p.sentPerSecond()), count(p.deliveredPerSecond()),
                micros(p.p99SoFarMicros()), p.benchCpuPct(), processes(p.processes(), false));
    }

    static String connecting(double elapsed, long ready, long failed, int requested, double perSecond) {
        return String.format(Locale.ROOT, "[%5.1fs] connected %d/%d  failed %d  %s/s", elapsed, ready, requested,
                failed, count(perSecond));
    }

    /** The summary of a fanout run. */
    public static String fanout(FanoutResult r) {
        StringBuilder b = new StringBuilder();
        b.append(header(r.setup()));
        b.append(connect("subscribed", r.subscribe()));
        b.append(window(r.window(), r.setup().subscribers()));
        return b.toString();
    }

    /** The summary of a ramp run. */
    public static String ramp(RampResult r) {
        StringBuilder b = new StringBuilder();
        b.append(header(r.setup()));
        b.append(connect("subscribed", r.subscribe()));
        b.append(String.format(Locale.ROOT, "  %10s %10s %12s %8s %10s %10s  %s%n", "rate", "sent/s", "delivered/s",
                "loss%", "p99", "max", "step"));
        for (RampResult.Step s : r.steps()) {
            b.append(step(s)).append('\n');
        }
        b.append("ramp stopped: ").append(r.stopReason()).append('\n');
        if (r.best() == null) {
            b.append("no step passed\n");
        } else {
            b.append(String.format(Locale.ROOT, "highest sustained: %s msg/s published, %s deliveries/s, p99 %s%n",
                    count(r.best().window().sentPerSecond()), count(r.best().window().deliveredPerSecond()),
                    micros(r.best().window().latency().p99())));
        }
        return b.toString();
    }

    /** One line of the ramp table. */
    public static String step(RampResult.Step s) {
        WindowResult w = s.window();
        return String.format(Locale.ROOT, "  %10s %10s %12s %8.3f %10s %10s  %s%s", count(w.targetRate()),
                count(w.sentPerSecond()), count(w.deliveredPerSecond()), w.lossPct(), micros(w.latency().p99()),
                micros(w.latency().max()), s.passed() ? "ok" : "FAIL: " + s.failure(),
                processes(w.processes(), true));
    }

    /** The summary of an overload run. */
    public static String overload(OverloadResult r) {
        StringBuilder b = new StringBuilder();
        b.append(header(r.setup()));
        b.append(connect("subscribed", r.subscribe()));
        b.append(String.format(Locale.ROOT, "  %-9s %10s %10s %12s %10s %10s%n", "phase", "rate", "sent/s",
                "delivered/s", "p99", "max"));
        for (OverloadResult.Phase p : r.phases()) {
            WindowResult w = p.window();
            b.append(String.format(Locale.ROOT, "  %-9s %10s %10s %12s %10s %10s%s%n", p.name(),
                    count(w.targetRate()), count(w.sentPerSecond()), count(w.deliveredPerSecond()),
                    micros(w.latency().p99()), micros(w.latency().max()), processes(w.processes(), true)));
        }
        b.append(String.format(Locale.ROOT, "subscribers that keep up: expected %d, unique %d, lost %d%n",
                r.expected(), r.unique(), r.lost()));
        b.append(String.format(Locale.ROOT, "p99 back within %.1f x normal (median second %s): %s%n",
                r.recoveredWithin(), micros(r.normalSecondP99()),
                Double.isNaN(r.recoverySeconds()) ? "not by the end"
                        : String.format(Locale.ROOT, "after %.0fs", r.recoverySeconds())));
        OverloadResult.Slow s = r.slow();
        b.append(String.format(Locale.ROOT,
                "slow subscribers: %d reading %s/s, expected %d, unique %d, disconnected %d, p99 %s%n",
                s.subscribers(), bytes(s.readBytesPerSecond()), s.expected(), s.unique(), s.disconnects(),
                micros(s.latency().p99())));
        for (OverloadResult.Gateway g : r.gateways()) {
            b.append(String.format(Locale.ROOT,
                    "gateway %s: budget max %s of %s, heap max %s, direct max %s, longest gc pause %.0fms "
                            + "(%d pauses, %.2fs), dropped %s, slow closes %d%n",
                    g.url(), bytes(g.budgetUsedMax()), bytes(g.budgetLimit()), bytes(g.heapUsedMax()),
                    bytes(g.directUsedMax()), g.gcPauseMaxSeconds() * 1000, g.gcPauses(), g.gcPauseSeconds(),
                    g.dropped(), g.slowCloses()));
        }
        return b.toString();
    }

    /** One second of an overload run, the gateways' side (the progress line has the bench's). */
    public static String overloadSecond(OverloadResult.Second s) {
        return String.format(Locale.ROOT,
                "   %-8s budget %9s  heap %9s  direct %9s  dropped %7d/s  slow closes %4d  slow got %7d/s  "
                        + "gc max %4.0fms",
                s.phase(), bytes(s.budgetUsed()), bytes(s.heapUsed()), bytes(s.directUsed()), s.dropped(),
                s.slowCloses(), s.slowDelivered(), s.gcPauseMaxSeconds() * 1000);
    }

    /** The summary of a connections run. */
    public static String connections(ConnectionsResult r) {
        StringBuilder b = new StringBuilder();
        b.append(header(r.setup()));
        b.append(connect("opened", r.connect()));
        b.append(String.format(Locale.ROOT, "open after hold: %d%n", r.openAfterHold()));
        for (ConnectionsResult.Memory m : r.memory()) {
            b.append(String.format(Locale.ROOT, "server pid %d: rss %s -> %s (%s/conn)", m.pid(),
                    bytes(m.rssBefore()), bytes(m.rssAfter()), bytes(m.rssPerConnection())));
            if (m.heapAfter() >= 0) {
                b.append(String.format(Locale.ROOT, ", heap after GC %s -> %s (%s/conn)", bytes(m.heapBefore()),
                        bytes(m.heapAfter()), bytes(m.heapPerConnection())));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String header(RunSetup s) {
        return String.format(Locale.ROOT, "== %s: target %s over %s, %s, %d event loop thread(s) (%s)%n",
                s.scenario(), s.target(), s.subscribeVia(), String.join(" ", s.urls()), s.threads(), s.transport());
    }

    private static String connect(String verb, ConnectResult c) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "%s %d/%d in %.1fs (%s/s), handshake p50 %s p99 %s max %s%n", verb, c.ready(), c.requested(),
                c.seconds(), count(c.perSecond()), micros(c.handshake().p50()), micros(c.handshake().p99()),
                micros(c.handshake().max())));
        if (!c.failures().isEmpty()) {
            b.append("  failures: ").append(failures(c.failures())).append('\n');
        }
        return b.toString();
    }

    private static String window(WindowResult w, int subscribers) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "published %d (accepted %d, failed %d) in %.2fs = %s/s (target %s/s)%n",
                w.sent(), w.accepted(), w.publishFailed(), w.publishSeconds(), count(w.sentPerSecond()),
                count(w.targetRate())));
        b.append(String.format(Locale.ROOT,
                "deliveries: expected %d, received %d, unique %d, lost %d (%.3f%%), duplicates %d, "
                        + "out of order %d, malformed %d, disconnects %d%n",
                w.expected(), w.deliveries().received(), w.deliveries().unique(), w.lost(), w.lossPct(),
                w.deliveries().duplicates(), w.deliveries().late(), w.deliveries().malformed(),
                w.deliveries().disconnects()));
        b.append(String.format(Locale.ROOT, "delivered %s/s to %d subscribers%n", count(w.deliveredPerSecond()),
                subscribers));
        Latency l = w.latency();
        b.append(String.format(Locale.ROOT, "latency p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  mean %s%n",
                micros(l.p50()), micros(l.p90()), micros(l.p99()), micros(l.p999()), micros(l.max()),
                micros((long) l.mean())));
        for (ProcessSample p : w.processes()) {
            b.append(String.format(Locale.ROOT, "server pid %d: cpu avg %.0f%% max %.0f%%, rss max %s%s%n", p.pid(),
                    p.cpuAvgPct(), p.cpuMaxPct(), bytes(p.rssMaxBytes()), p.alive() ? "" : " (exited)"));
        }
        if (w.bench() != null) {
            b.append(String.format(Locale.ROOT, "bench: cpu avg %.0f%% max %.0f%%%n", w.bench().cpuAvgPct(),
                    w.bench().cpuMaxPct()));
        }
        return b.toString();
    }

    private static String processes(List<ProcessSample> samples, boolean average) {
        StringBuilder b = new StringBuilder();
        for (ProcessSample p : samples) {
            b.append(String.format(Locale.ROOT, "  [%d cpu %3.0f%% rss %s]", p.pid(),
                    average ? p.cpuAvgPct() : p.cpuPct(), bytes(p.rssBytes())));
        }
        return b.toString();
    }

    private static String failures(Map<String, Long> failures) {
        StringBuilder b = new StringBuilder();
        failures.forEach((reason, n) -> b.append(reason).append('=').append(n).append(' '));
        return b.toString().trim();
    }

    /** {@code 950}, {@code 12.3k}, {@code 4.56M}. */
    public static String count(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 1e4) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** Microseconds as {@code 850us}, {@code 12.3ms} or {@code 1.20s}. */
    public static String micros(long us) {
        if (us < 1_000) {
            return us + "us";
        }
        if (us < 1_000_000) {
            return String.format(Locale.ROOT, "%.2fms", us / 1e3);
        }
        return String.format(Locale.ROOT, "%.2fs", us / 1e6);
    }

    /** A byte count as {@link #bytes(double)} does; negative means unknown ({@code ?}). */
    public static String bytes(long b) {
        return b < 0 ? "?" : bytes((double) b);
    }

    /** Bytes as {@code 512B}, {@code 3.4KiB} or {@code 210.0MiB}; NaN means unknown ({@code ?}). */
    public static String bytes(double b) {
        if (Double.isNaN(b)) {
            return "?";
        }
        if (b < 0) {
            return "-" + bytes(-b);
        }
        if (b < 1024) {
            return String.format(Locale.ROOT, "%.0fB", b);
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1fKiB", b / 1024);
        }
        return String.format(Locale.ROOT, "%.1fMiB", b / (1024 * 1024));
    }
}
