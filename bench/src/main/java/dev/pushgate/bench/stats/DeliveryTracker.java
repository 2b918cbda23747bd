package dev.pushgate.bench.stats;

/**
 * Per-subscriber accounting of received sequence numbers, one stream per publisher. For every stream it keeps the
 * highest {@code n} seen and a 64-message window below it (the anti-replay window of IPsec), so a message is
 * classified as in order, late (an order violation: {@code n} did not increase) or a duplicate without storing
 * every number. A late message more than 64 below the highest cannot be checked for duplication and counts as late.
 * Not thread-safe: touched only on its connection's event loop.
 */
public final class DeliveryTracker {
    /** How a received message was classified. */
    public enum Outcome {
        /** {@code n} is higher than any seen before on its stream. */
        IN_ORDER,
        /** {@code n} is lower than one already seen, and not seen before (within the window). */
        LATE,
        /** {@code n} was already received. */
        DUPLICATE,
        /** The stream index is outside the known publishers. */
        UNKNOWN_STREAM
    }

    private static final int WINDOW = 64;

    private final long[] highest;
    private final long[] window;
    private long received;
    private long duplicates;
    private long late;
    private long unknown;

    /** A tracker for {@code streams} publisher streams. */
    public DeliveryTracker(int streams) {
        this.highest = new long[streams];
        this.window = new long[streams];
        java.util.Arrays.fill(highest, -1);
    }

    /** Classifies and counts message {@code n} of {@code stream}. */
    public Outcome accept(int stream, long n) {
        received++;
        if (stream < 0 || stream >= highest.length) {
            unknown++;
            return Outcome.UNKNOWN_STREAM;
        }
        long top = highest[stream];
        if (n > top) {
            long shift = n - top;
            window[stream] = (shift >= WINDOW ? 0 : window[stream] << shift) | 1L;
            highest[stream] = n;
            return Outcome.IN_ORDER;
        }
        long distance = top - n;
        if (distance < WINDOW) {
            long bit = 1L << distance;
            if ((window[stream] & bit) != 0) {
                duplicates++;
                return Outcome.DUPLICATE;
            }
            window[stream] |= bit;
        }
        late++;
        return Outcome.LATE;
    }

    /** Every message passed to {@link #accept}. */
    public long received() {
        return received;
    }

    /** Received messages that were not duplicates (nor from an unknown stream). */
    public long unique() {
        return received - duplicates - unknown;
    }

    /** Messages received twice or more. */
    public long duplicates() {
        return duplicates;
    }

    /** Order violations: messages whose {@code n} was lower than one already received on their stream. */
    public long late() {
        return late;
    }

    /** Messages naming a stream this tracker does not know. */
    public long unknown() {
        return unknown;
    }
}
