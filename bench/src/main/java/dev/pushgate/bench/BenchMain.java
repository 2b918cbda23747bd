package dev.pushgate.bench;

import dev.pushgate.bench.cli.BenchOptions;
import dev.pushgate.bench.cli.Usage;
import dev.pushgate.bench.cli.UsageException;
import dev.pushgate.bench.net.NettyTransport;
import dev.pushgate.bench.report.Console;
import dev.pushgate.bench.scenario.ConnectionsScenario;
import dev.pushgate.bench.scenario.FanoutScenario;
import dev.pushgate.bench.scenario.OverloadScenario;
import dev.pushgate.bench.scenario.RampScenario;
import dev.pushgate.bench.scenario.RunControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: parses the command line, creates the console on the process's streams and the Netty
 * transport, runs the scenario, and exits with its status (0 done, 1 failed, 2 usage). Ctrl-C aborts the run
 * but still prints the summary and the {@code RESULT} line of what was measured.
 */
public final class BenchMain {
    private static final Logger log = LoggerFactory.getLogger(BenchMain.class);
    private static final long SHUTDOWN_WAIT_SECONDS = 20;

    private BenchMain() {
    }

    public static void main(String[] argv) {
        Console console = new Console(System.out, System.err);
        System.exit(run(argv, console));
    }

    /** Runs the command line {@code argv} against {@code console}; returns the exit status. */
    static int run(String[] argv, Console console) {
        if (BenchOptions.wantsHelp(argv)) {
            console.usage(Usage.TEXT);
            return 0;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(argv);
        } catch (UsageException e) {
            console.error(e.getMessage() + " (see --help)");
            return 2;
        }
        RunControl control = new RunControl();
        Thread hook = new Thread(() -> {
            control.abort();
            control.awaitFinished(SHUTDOWN_WAIT_SECONDS);
        }, "bench-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (NettyTransport transport = NettyTransport.create(options.connect().threads())) {
            return switch (options.scenario()) {
                case FANOUT -> new FanoutScenario(options).run(transport, console, control);
                case RAMP -> new RampScenario(options).run(transport, console, control);
                case CONNECTIONS -> new ConnectionsScenario(options).run(transport, console, control);
                case OVERLOAD -> new OverloadScenario(options).run(transport, console, control);
            };
        } catch (Exception e) {
            log.debug("run failed", e);
            console.error("run failed: " + e);
            return 1;
        } finally {
            control.finished();
        }
    }
}
