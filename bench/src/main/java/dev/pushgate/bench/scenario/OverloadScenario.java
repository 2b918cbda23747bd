package dev.pushgate.bench.scenario;

import dev.pushgate.bench.cli.BenchOptions;
import dev.pushgate.bench.cli.OverloadOptions;
import dev.pushgate.bench.dialect.Target;
import dev.pushgate.bench.load.SlowReaders;
import dev.pushgate.bench.net.NettyTransport;
import dev.pushgate.bench.report.ConnectResult;
import dev.pushgate.bench.report.Console;
import dev.pushgate.bench.report.Latency;
import dev.pushgate.bench.report.OverloadResult;
import dev.pushgate.bench.report.ReportText;
import dev.pushgate.bench.report.ResultJson;
import dev.pushgate.bench.report.WindowResult;
import dev.pushgate.bench.stats.GatewayMetricsProbe.Sample;

import org.HdrHistogram.Histogram;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Publishes at a base rate, then at a multiple of it, then at the base rate again, on the same connections with no
 * pause between the phases, and reports per second what the subscribers that keep up got (deliveries, p99), what the
 * slow readers got, and what the gateways report (budget, memory, drops, slow-consumer closes, GC pauses); at the
 * end p99 before, during and after the overload and how many seconds p99 took to come back.
 */
public final class OverloadScenario {
    static final String NORMAL = "normal";
    static final String OVERLOAD = "overload";
    static final String RECOVER = "recover";

    private final BenchOptions options;

    public OverloadScenario(BenchOptions options) {
        this.options = options;
    }

    /** Runs the scenario; returns the exit status (0 when anything was delivered). */
    public int run(NettyTransport transport, Console console, RunControl control) throws Exception {
        OverloadOptions o = options.overload();
        int topics = options.load().topics().size();
        SlowReaders slow = new SlowReaders(o.slowFraction(),
                o.slowReadBytesPerSecond(options.load().payloadBytes(), topics), topics);
        try (LoadRig rig = new LoadRig(options, transport, slow);
             GatewayWatch watch = new GatewayWatch(metricsUrls())) {
            ConnectResult subscribed = rig.subscribe(console, control);
            if (subscribed.ready() == 0) {
                console.error("no subscriber could subscribe: " + subscribed.failures());
                return 1;
            }
            console.info(String.format(Locale.ROOT, "%d slow subscriber(s) reading %s/s each", slow.ready(),
                    ReportText.bytes(slow.bytesPerSecond())));
            rig.connectPublishers(console);
            if (options.load().warmupSeconds() > 0) {
                console.info(String.format(Locale.ROOT, "warming up: %s msg/s for %.1fs (not measured) ...",
                        ReportText.count(o.baseRate()), options.load().warmupSeconds()));
                rig.measure(o.baseRate(), options.load().warmupSeconds(), console, control);
            }
            watch.start();
            List<OverloadResult.Second> seconds = new ArrayList<>();
            List<OverloadResult.Phase> phases = new ArrayList<>();
            slow.latency().newWindow();
            long slowExpected = 0;
            long slowUniqueBefore = slow.stats().unique();
            long slowDisconnectsBefore = slow.stats().disconnects();
            Ticks ticks = new Ticks(seconds, slow, watch, console);
            String[] names = {NORMAL, OVERLOAD, RECOVER};
            double[] rates = {o.baseRate(), o.baseRate() * o.factor(), o.baseRate()};
            double[] lengths = {o.normalSeconds(), o.overloadSeconds(), o.recoverSeconds()};
            for (int i = 0; i < names.length && !control.aborted(); i++) {
                String name = names[i];
                console.info(String.format(Locale.ROOT, "%s: %s msg/s for %.0fs", name, ReportText.count(rates[i]),
                        lengths[i]));
                ticks.phase = name;
                WindowResult w = rig.measure(rates[i], lengths[i], i == names.length - 1
                        ? options.load().drainSeconds() : 0, console, control, ticks);
                phases.add(new OverloadResult.Phase(name, w));
                slowExpected += w.accepted() * slow.ready() / topics;
            }
            OverloadResult.Slow slowResult = new OverloadResult.Slow(slow.ready(), slow.bytesPerSecond(),
                    slowExpected, slow.stats().unique() - slowUniqueBefore,
                    slow.stats().disconnects() - slowDisconnectsBefore, Latency.of(slow.latency().newWindow()));
            long normal = medianP99(seconds, NORMAL);
            OverloadResult result = new OverloadResult(rig.setup(), subscribed, phases, seconds, slowResult,
                    watch.summary(), normal, o.recoveredWithin(), phases.size() == names.length
                    ? recoverySeconds(normal, seconds, o.recoveredWithin()) : Double.NaN);
            console.summary(ReportText.overload(result));
            console.result(new ResultJson().overload(result));
            return result.unique() > 0 ? 0 : 1;
        }
    }

    /**
     * Seconds after the load dropped until p99 stayed within {@code within} × {@code normalP99}: the end of the last
     * recover second above it (0 when none was), NaN when the last second is still above it.
     */
    static double recoverySeconds(long normalP99, List<OverloadResult.Second> seconds, double within) {
        double limit = normalP99 * within;
        double lastBad = 0;
        boolean lastWasBad = false;
        for (OverloadResult.Second s : seconds) {
            if (!s.phase().equals(RECOVER)) {
                continue;
            }
            lastWasBad = s.delivered() == 0 || s.p99Micros() > limit;
            if (lastWasBad) {
                lastBad = s.elapsed();
            }
        }
        return lastWasBad ? Double.NaN : lastBad;
    }

    /** The median of the per-second p99s of {@code phase} (seconds with deliveries only; 0 when none). */
    static long medianP99(List<OverloadResult.Second> seconds, String phase) {
        long[] p99s = seconds.stream().filter(s -> s.phase().equals(phase) && s.delivered() > 0)
                .mapToLong(OverloadResult.Second::p99Micros).sorted().toArray();
        return p99s.length == 0 ? 0 : p99s[p99s.length / 2];
    }

    private List<URI> metricsUrls() {
        if (!options.overload().metricsUrls().isEmpty()) {
            return options.overload().metricsUrls();
        }
        if (options.connect().target() != Target.PUSHGATE) {
            return List.of();
        }
        List<URI> out = new ArrayList<>();
        for (URI ws : options.connect().urls()) {
            out.add(URI.create("http://" + ws.getHost() + ":" + ws.getPort() + "/metrics"));
        }
        return out;
    }

    /** Records every second of one phase and prints the gateways' side of it. */
    private static final class Ticks implements Measurement.Tick {
        private String phase = NORMAL;
        private final List<OverloadResult.Second> seconds;
        private final SlowReaders slow;
        private final GatewayWatch watch;
        private final Console console;
        private long slowReceived;
        private long dropped = -1;
        private long closes = -1;

        Ticks(List<OverloadResult.Second> seconds, SlowReaders slow, GatewayWatch watch, Console console) {
            this.seconds = seconds;
            this.slow = slow;
            this.watch = watch;
            this.console = console;
            this.slowReceived = slow.stats().received();
        }

        @Override
        public void second(double elapsed, long sent, long received, Histogram latency) {
            slow.latency().sampleInterval();
            long slowNow = slow.stats().received();
            long budget = 0;
            long heap = 0;
            long direct = 0;
            long droppedNow = 0;
            long closesNow = 0;
            double pause = 0;
            List<Sample> samples = watch.latest();
            for (Sample s : samples) {
                budget += s.budgetUsed();
                heap += s.heapUsed();
                direct += s.directUsed();
                droppedNow += s.dropped().values().stream().mapToLong(Long::longValue).sum();
                closesNow += s.slowCloses();
                pause = Math.max(pause, s.gcPauseMaxSeconds());
            }
            OverloadResult.Second second = new OverloadResult.Second(phase, elapsed, sent, received,
                    latency.getValueAtPercentile(99), slowNow - slowReceived, budget, heap, direct,
                    dropped < 0 ? 0 : droppedNow - dropped, closes < 0 ? 0 : closesNow - closes, pause);
            seconds.add(second);
            slowReceived = slowNow;
            dropped = droppedNow;
            closes = closesNow;
            if (!samples.isEmpty()) {
                console.info(ReportText.overloadSecond(second));
            }
        }
    }
}
