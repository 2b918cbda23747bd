package dev.pushgate.bench.report;

import java.util.List;
import java.util.Map;

/**
 * The overload scenario: its three phases (normal, overload, recover: back-to-back windows on the same connections,
 * only the last one drained, so a message counts in the window it arrived in), every second of them, the slow
 * subscribers, what each gateway reported, and how long p99 took to come back. Latency and loss of the phases are
 * those of the subscribers that keep up; the slow ones are counted apart. {@code normalSecondP99} is the median of
 * the normal phase's per-second p99s (one noisy second does not move it), the reference for {@code recoverySeconds}.
 */
public record OverloadResult(RunSetup setup, ConnectResult subscribe, List<Phase> phases, List<Second> seconds,
                             Slow slow, List<Gateway> gateways, long normalSecondP99, double recoveredWithin,
                             double recoverySeconds) {
    public OverloadResult {
        phases = List.copyOf(phases);
        seconds = List.copyOf(seconds);
        gateways = List.copyOf(gateways);
    }

    /** One phase and its rate. */
    public record Phase(String name, WindowResult window) {
    }

    /**
     * One second: phase, seconds since the phase began, messages sent, deliveries and p99 of the subscribers that
     * keep up, deliveries to slow ones, and the gateways' sum of budget in use, heap and direct memory, with their
     * dropped messages and slow-consumer closes in that second and the longest GC pause they report (rolling).
     */
    public record Second(String phase, double elapsed, long sent, long delivered, long p99Micros,
                         long slowDelivered, long budgetUsed, long heapUsed, long directUsed, long dropped,
                         long slowCloses, double gcPauseMaxSeconds) {
    }

    /** The slow subscribers: how many, their read rate, what they should have got and got, closes, latency. */
    public record Slow(long subscribers, long readBytesPerSecond, long expected, long unique, long disconnects,
                       Latency latency) {
    }

    /**
     * One gateway over the run: its budget, the highest budget use, heap and direct memory seen, the longest GC
     * pause, GC pause time and count, dropped messages by reason and slow-consumer closes during the run.
     */
    public record Gateway(String url, long budgetLimit, long budgetUsedMax, long heapUsedMax, long directUsedMax,
                          double gcPauseMaxSeconds, double gcPauseSeconds, long gcPauses, Map<String, Long> dropped,
                          long slowCloses) {
        public Gateway {
            dropped = Map.copyOf(dropped);
        }
    }

    /** Expected deliveries to the subscribers that keep up, over all phases. */
    public long expected() {
        return phases.stream().mapToLong(p -> p.window().expected()).sum();
    }

    /** Unique deliveries to them, over all phases. */
    public long unique() {
        return phases.stream().mapToLong(p -> p.window().deliveries().unique()).sum();
    }

    /** What they did not get. */
    public long lost() {
        return Math.max(0, expected() - unique());
    }

    /** The phase called {@code name}. */
    public Phase phase(String name) {
        return phases.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }
}
