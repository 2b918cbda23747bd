package dev.pushgate.bench.scenario;

import dev.pushgate.bench.cli.BenchOptions;
import dev.pushgate.bench.net.NettyTransport;
import dev.pushgate.bench.report.ConnectResult;
import dev.pushgate.bench.report.Console;
import dev.pushgate.bench.report.FanoutResult;
import dev.pushgate.bench.report.ReportText;
import dev.pushgate.bench.report.ResultJson;
import dev.pushgate.bench.report.WindowResult;

/** Subscribes everyone, publishes at a fixed rate for a fixed time, drains, and reports. */
public final class FanoutScenario {
    private final BenchOptions options;

    public FanoutScenario(BenchOptions options) {
        this.options = options;
    }

    /** Runs the scenario; returns the exit status (0 when anything was delivered). */
    public int run(NettyTransport transport, Console console, RunControl control) throws Exception {
        try (LoadRig rig = new LoadRig(options, transport)) {
            ConnectResult subscribed = rig.subscribe(console, control);
            if (subscribed.ready() == 0) {
                console.error("no subscriber could subscribe: " + subscribed.failures());
                return 1;
            }
            rig.connectPublishers(console);
            if (options.load().warmupSeconds() > 0) {
                console.info(String.format("warming up: %s msg/s for %.1fs (not measured) ...",
                        ReportText.count(options.load().rate()), options.load().warmupSeconds()));
                rig.measure(options.load().rate(), options.load().warmupSeconds(), console, control);
            }
            console.info(String.format("publishing %s msg/s for %.1fs ...",
                    ReportText.count(options.load().rate()), options.load().durationSeconds()));
            WindowResult window = rig.measure(options.load().rate(), options.load().durationSeconds(), console,
                    control);
            FanoutResult result = new FanoutResult(rig.setup(), subscribed, window);
            console.summary(ReportText.fanout(result));
            console.result(new ResultJson().fanout(result));
            return window.deliveries().unique() > 0 ? 0 : 1;
        }
    }
}
