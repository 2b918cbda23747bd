package dev.pushgate.bench.cli;

/**
 * The ramp: the first rate, the increment, how long each step lasts, the highest rate to try, and the limits that
 * end it (loss in percent, p99 in milliseconds). With {@code factor} above 1 each step multiplies the rate by it
 * instead of adding {@code step}.
 */
public record RampOptions(double startRate, double step, double stepSeconds, double maxRate, double maxLossPct,
                          double maxP99Ms, double factor) {
    /** An additive ramp. */
    public RampOptions(double startRate, double step, double stepSeconds, double maxRate, double maxLossPct,
                       double maxP99Ms) {
        this(startRate, step, stepSeconds, maxRate, maxLossPct, maxP99Ms, 1);
    }

    /** The rate of the step after one at {@code rate}. */
    public double next(double rate) {
        return factor > 1 ? rate * factor : rate + step;
    }

    static RampOptions from(Args args) {
        double start = args.decimal("start-rate", 1000, 0.001);
        return new RampOptions(start,
                args.decimal("step", start, 0.001),
                args.decimal("step-seconds", 5, 0.5),
                args.decimal("max-rate", 10_000_000, start),
                args.decimal("max-loss-pct", 0.1, 0),
                args.decimal("max-p99-ms", 100, 0),
                args.decimal("factor", 1, 1));
    }
}
