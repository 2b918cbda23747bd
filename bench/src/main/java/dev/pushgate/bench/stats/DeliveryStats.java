package dev.pushgate.bench.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * Delivery counters summed over every subscriber, for the progress line and the drain check. Thread-safe; the
 * authoritative per-subscriber numbers live in each {@link DeliveryTracker}.
 */
public final class DeliveryStats {
    private final LongAdder received = new LongAdder();
    private final LongAdder unique = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder disconnects = new LongAdder();

    /** Counts one delivery classified by a subscriber's {@link DeliveryTracker}. */
    public void delivered(DeliveryTracker.Outcome outcome) {
        received.increment();
        switch (outcome) {
            case IN_ORDER -> unique.increment();
            case LATE -> {
                unique.increment();
                late.increment();
            }
            case DUPLICATE -> duplicates.increment();
            case UNKNOWN_STREAM -> malformed.increment();
        }
    }

    /** Counts a frame that looked like a message but carried no readable payload (or an unknown stream). */
    public void countMalformed() {
        malformed.increment();
    }

    /** Counts a subscriber connection that closed after it had subscribed. */
    public void countDisconnect() {
        disconnects.increment();
    }

    public long received() {
        return received.sum();
    }

    public long unique() {
        return unique.sum();
    }

    public long duplicates() {
        return duplicates.sum();
    }

    public long late() {
        return late.sum();
    }

    public long malformed() {
        return malformed.sum();
    }

    public long disconnects() {
        return disconnects.sum();
    }

    /** The counters now. */
    public Totals totals() {
        return new Totals(received(), unique(), duplicates(), late(), malformed(), disconnects());
    }

    /** A reading of every counter; {@link #minus} gives the counts of a measurement window. */
    public record Totals(long received, long unique, long duplicates, long late, long malformed, long disconnects) {
        /** These counts less {@code earlier}. */
        public Totals minus(Totals earlier) {
            return new Totals(received - earlier.received, unique - earlier.unique,
                    duplicates - earlier.duplicates, late - earlier.late, malformed - earlier.malformed,
                    disconnects - earlier.disconnects);
        }
    }
}
