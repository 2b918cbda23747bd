package dev.pushgate.bench.cli;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The overload run: {@code normalSeconds} at {@code baseRate}, {@code overloadSeconds} at {@code baseRate × factor},
 * then {@code recoverSeconds} at {@code baseRate} again. {@code slowFraction} of the subscribers read at most
 * {@code slowReadBytes} a second (0: half of what the base rate sends them, so they fall behind from the start and
 * their namespace's slow-consumer policy deals with them). p99 counts as recovered in the first second whose p99 is within
 * {@code recoveredWithin} × the normal p99. {@code metricsUrls}: the gateways' Prometheus endpoints to read every
 * second (empty: none).
 */
public record OverloadOptions(double baseRate, double factor, double normalSeconds, double overloadSeconds,
                              double recoverSeconds, double slowFraction, long slowReadBytes, double recoveredWithin,
                              List<URI> metricsUrls) {
    /** Bytes one message frame is assumed to take on the wire beyond its payload, for the default slow read rate. */
    static final int FRAME_OVERHEAD = 96;

    public OverloadOptions {
        metricsUrls = List.copyOf(metricsUrls);
    }

    /** The read rate of a slow subscriber in bytes per second, for messages of {@code payloadBytes}. */
    public long slowReadBytesPerSecond(int payloadBytes, int topics) {
        if (slowReadBytes > 0) {
            return slowReadBytes;
        }
        return Math.max(1024, (long) (0.5 * baseRate / topics * (payloadBytes + FRAME_OVERHEAD)));
    }

    static OverloadOptions from(Args args) {
        List<URI> metrics = new ArrayList<>();
        for (String u : args.all("metrics-url")) {
            try {
                metrics.add(URI.create(u));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--metrics-url is not a URL: " + u);
            }
        }
        double slow = args.decimal("slow-fraction", 0, 0);
        if (slow >= 1) {
            throw new UsageException("--slow-fraction must be below 1: " + slow);
        }
        return new OverloadOptions(args.decimal("base-rate", 500, 0.001),
                args.decimal("overload-factor", 2, 1),
                args.decimal("normal-seconds", 10, 1),
                args.decimal("overload-seconds", 30, 1),
                args.decimal("recover-seconds", 15, 1),
                slow,
                (long) args.decimal("slow-read-bytes", 0, 0),
                args.decimal("recovered-within", 1.5, 1),
                metrics);
    }
}
