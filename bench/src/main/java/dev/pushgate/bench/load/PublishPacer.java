package dev.pushgate.bench.load;

/**
 * Paces a fixed number of messages at a fixed rate: message {@code k} is due at {@code start + k / rate}. The
 * publisher asks on every timer tick how many messages are due and sends them in one batch; the intended time of a
 * message (not the moment it was actually written) is what goes into its timestamp, so a publisher that falls
 * behind shows up as latency instead of hiding it (no coordinated omission). Written by the publisher's event loop;
 * {@link #issued()} and {@link #finished()} may be read from any thread.
 */
public final class PublishPacer {
    private final double ratePerSecond;
    private final long startNanos;
    private final long limit;
    private volatile long issued;

    /** Paces {@code limit} messages at {@code ratePerSecond}, the first due at {@code startNanos}. */
    public PublishPacer(double ratePerSecond, long startNanos, long limit) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
        this.startNanos = startNanos;
        this.limit = limit;
    }

    /** Messages due at {@code nowNanos} and not issued yet. */
    public long due(long nowNanos) {
        if (nowNanos < startNanos) {
            return 0;
        }
        double elapsed = (nowNanos - startNanos) / 1e9;
        long dueTotal = Math.min(limit, (long) Math.floor(elapsed * ratePerSecond) + 1);
        return Math.max(0, dueTotal - issued);
    }

    /** The intended send time ({@link System#nanoTime()} scale) of message {@code index} of this pacer. */
    public long intendedNanos(long index) {
        return startNanos + (long) (index * 1e9 / ratePerSecond);
    }

    /** Records that {@code count} more messages were issued. */
    public void issued(long count) {
        issued += count;
    }

    /** Messages issued so far (the index of the next one). */
    public long issued() {
        return issued;
    }

    /** The number of messages this pacer paces. */
    public long limit() {
        return limit;
    }

    /** Whether every message has been issued. */
    public boolean finished() {
        return issued >= limit;
    }
}
