package dev.pushgate.bench.cli;

import java.util.Set;

/**
 * A parsed command line: the scenario and the options of each concern; records a scenario does not use are
 * {@code null}, and flags it does not use are refused.
 */
public record BenchOptions(Scenario scenario, ConnectOptions connect, LoadOptions load, RampOptions ramp,
                           ConnectionsOptions connections, OverloadOptions overload) {
    private static final Set<String> SWITCHES = Set.of("help", "subscribe", "no-jcmd");

    /** Options of a scenario other than overload. */
    public BenchOptions(Scenario scenario, ConnectOptions connect, LoadOptions load, RampOptions ramp,
                        ConnectionsOptions connections) {
        this(scenario, connect, load, ramp, connections, null);
    }

    /** Whether {@code argv} asks for help (or is empty). */
    public static boolean wantsHelp(String[] argv) {
        if (argv.length == 0) {
            return true;
        }
        for (String a : argv) {
            if (a.equals("--help") || a.equals("-h") || a.equals("help")) {
                return true;
            }
        }
        return false;
    }

    /** Parses {@code argv}; throws {@link UsageException} with the reason when it cannot run. */
    public static BenchOptions parse(String[] argv) {
        Args args = Args.parse(argv, SWITCHES);
        if (args.positional().size() != 1) {
            throw new UsageException("give exactly one scenario (fanout, ramp, connections or overload), got "
                    + args.positional());
        }
        Scenario scenario = Scenario.parse(args.positional().get(0));
        ConnectOptions connect = ConnectOptions.from(args);
        BenchOptions options = switch (scenario) {
            case FANOUT -> new BenchOptions(scenario, connect, LoadOptions.from(args, connect, true), null, null);
            case RAMP -> new BenchOptions(scenario, connect, LoadOptions.from(args, connect, false),
                    RampOptions.from(args), null);
            case CONNECTIONS -> new BenchOptions(scenario, connect, null, null, ConnectionsOptions.from(args));
            case OVERLOAD -> new BenchOptions(scenario, connect, LoadOptions.from(args, connect, false), null, null,
                    OverloadOptions.from(args));
        };
        args.rejectUnread();
        return options;
    }
}
