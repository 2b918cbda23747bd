package dev.pushgate.bench.scenario;

import dev.pushgate.bench.cli.BenchOptions;
import dev.pushgate.bench.cli.RampOptions;
import dev.pushgate.bench.net.NettyTransport;
import dev.pushgate.bench.report.ConnectResult;
import dev.pushgate.bench.report.Console;
import dev.pushgate.bench.report.RampResult;
import dev.pushgate.bench.report.ReportText;
import dev.pushgate.bench.report.ResultJson;
import dev.pushgate.bench.report.WindowResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Raises the publish rate step by step on the same connections until a step loses more than the allowed share,
 * has a p99 above the limit, or the publishers cannot reach the rate; reports the highest step that passed.
 */
public final class RampScenario {
    /** A step whose accepted rate is below this share of its target counts as publisher-bound. */
    static final double MIN_SENT_SHARE = 0.95;

    private final BenchOptions options;

    public RampScenario(BenchOptions options) {
        this.options = options;
    }

    /** Runs the ramp; returns the exit status (0 when at least one step passed). */
    public int run(NettyTransport transport, Console console, RunControl control) throws Exception {
        RampOptions ramp = options.ramp();
        try (LoadRig rig = new LoadRig(options, transport)) {
            ConnectResult subscribed = rig.subscribe(console, control);
            if (subscribed.ready() == 0) {
                console.error("no subscriber could subscribe: " + subscribed.failures());
                return 1;
            }
            rig.connectPublishers(console);
            if (options.load().warmupSeconds() > 0) {
                console.info(String.format(Locale.ROOT, "warming up: %s msg/s for %.1fs (not measured) ...",
                        ReportText.count(ramp.startRate()), options.load().warmupSeconds()));
                rig.measure(ramp.startRate(), options.load().warmupSeconds(), console, control);
            }
            List<RampResult.Step> steps = new ArrayList<>();
            RampResult.Step best = null;
            String stopReason = "reached --max-rate";
            for (double rate = ramp.startRate(); rate <= ramp.maxRate(); rate = ramp.next(rate)) {
                console.info(String.format(Locale.ROOT, "step: %s msg/s for %.1fs", ReportText.count(rate),
                        ramp.stepSeconds()));
                WindowResult window = rig.measure(rate, ramp.stepSeconds(), console, control);
                RampResult.Step step = new RampResult.Step(window, failure(window, ramp));
                steps.add(step);
                console.info(ReportText.step(step));
                if (control.aborted()) {
                    stopReason = "interrupted";
                    break;
                }
                if (!step.passed()) {
                    stopReason = step.failure();
                    break;
                }
                best = step;
            }
            RampResult result = new RampResult(rig.setup(), subscribed, steps, stopReason, best);
            console.summary(ReportText.ramp(result));
            console.result(new ResultJson().ramp(result));
            return best != null ? 0 : 1;
        }
    }

    /** Why {@code w} fails the ramp's limits, or {@code null} when it passes. */
    static String failure(WindowResult w, RampOptions ramp) {
        if (w.lossPct() > ramp.maxLossPct()) {
            return String.format(Locale.ROOT, "loss %.3f%% > %.3f%%", w.lossPct(), ramp.maxLossPct());
        }
        if (w.latency().p99() > ramp.maxP99Ms() * 1000) {
            return String.format(Locale.ROOT, "p99 %s > %.0fms", ReportText.micros(w.latency().p99()),
                    ramp.maxP99Ms());
        }
        if (w.sentPerSecond() < MIN_SENT_SHARE * w.targetRate()) {
            return String.format(Locale.ROOT, "publishers reached only %s of %s msg/s",
                    ReportText.count(w.sentPerSecond()), ReportText.count(w.targetRate()));
        }
        return null;
    }
}
