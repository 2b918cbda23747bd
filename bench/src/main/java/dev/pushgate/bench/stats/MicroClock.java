package dev.pushgate.bench.stats;

/**
 * Epoch microseconds from a monotonic source: the wall clock read once, advanced by {@link System#nanoTime()}, so
 * publishers and subscribers in this process agree to the microsecond and never see time go backwards.
 * Immutable and thread-safe.
 */
public final class MicroClock {
    private final long epochMicrosAtBase;
    private final long nanosAtBase;

    private MicroClock(long epochMicrosAtBase, long nanosAtBase) {
        this.epochMicrosAtBase = epochMicrosAtBase;
        this.nanosAtBase = nanosAtBase;
    }

    /** A clock anchored at the current wall-clock time. */
    public static MicroClock system() {
        java.time.Instant now = java.time.Instant.now();
        long nanos = System.nanoTime();
        return new MicroClock(now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000, nanos);
    }

    /** A clock where {@code nanoTime} {@code nanosAtBase} is epoch microsecond {@code epochMicros} (tests). */
    public static MicroClock anchored(long epochMicros, long nanosAtBase) {
        return new MicroClock(epochMicros, nanosAtBase);
    }

    /** Now, in epoch microseconds. */
    public long nowMicros() {
        return toEpochMicros(System.nanoTime());
    }

    /** The epoch microseconds of a {@link System#nanoTime()} reading. */
    public long toEpochMicros(long nanoTime) {
        return epochMicrosAtBase + (nanoTime - nanosAtBase) / 1_000;
    }
}
