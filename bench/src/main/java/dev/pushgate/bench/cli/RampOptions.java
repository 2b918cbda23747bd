package dev.pushgate.bench.cli;

/**
 * The ramp: the first rate, the increment, how long each step lasts, the highest rate to try, and the limits that
 * end it (loss in percent, p99 in milliseconds).
 */
public record RampOptions(double startRate, double step, double stepSeconds, double maxRate, double maxLossPct,
                          double maxP99Ms) {
    static RampOptions from(Args args) {
        double start = args.decimal("start-rate", 1000, 0.001);
        return new RampOptions(start,
                args.decimal("step", start, 0.001),
                args.decimal("step-seconds", 5, 0.5),
                args.decimal("max-rate", 10_000_000, start),
                args.decimal("max-loss-pct", 0.1, 0),
                args.decimal("max-p99-ms", 100, 0));
    }
}
