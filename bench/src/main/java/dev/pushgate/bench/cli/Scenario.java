package dev.pushgate.bench.cli;

import java.util.Locale;

/** The scenario to run, the first word of the command line. */
public enum Scenario {
    /** N subscribers, publishers at a fixed rate for a fixed time. */
    FANOUT,
    /** Fan-out with the rate raised step by step until loss or p99 exceed their limits. */
    RAMP,
    /** N idle connections: handshake rate and memory per connection. */
    CONNECTIONS,
    /** Fan-out at a base rate, then a multiple of it, then the base again: memory, drops and recovery. */
    OVERLOAD;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Scenario parse(String word) {
        for (Scenario s : values()) {
            if (s.label().equalsIgnoreCase(word)) {
                return s;
            }
        }
        throw new UsageException("unknown scenario: " + word + " (fanout, ramp, connections or overload)");
    }
}
