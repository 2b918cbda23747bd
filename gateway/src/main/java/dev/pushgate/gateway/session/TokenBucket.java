package dev.pushgate.gateway.session;

/**
 * Inbound message rate limit of one connection: {@code rate} tokens per second up to {@code burst}. Not
 * thread-safe (loop-confined, like the session).
 */
public final class TokenBucket {
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long last;
    private int refusedInARow;

    public TokenBucket(int ratePerSecond, int burst) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    /** Takes a token for one message at {@code now}; false when none is left. */
    public boolean tryTake(long now) {
        tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            refusedInARow = 0;
            return true;
        }
        refusedInARow++;
        return false;
    }

    /** Messages refused since the last accepted one: a client that ignores {@code rate_limited} keeps raising it. */
    public int refusedInARow() {
        return refusedInARow;
    }
}
