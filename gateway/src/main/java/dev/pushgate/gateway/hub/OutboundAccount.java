package dev.pushgate.gateway.hub;

import java.util.function.LongSupplier;

/**
 * One connection's entry in its loop's {@link LoopBudget}: the backlog last counted for it, and whether the node's
 * level refuses it new messages. Loop-confined; created once per connection (nothing is allocated per message).
 */
public final class OutboundAccount {
    private final LoopBudget loop;
    private final LongSupplier pendingBytes;
    private final Runnable caughtUp;
    private long counted;
    private boolean tracked;
    private boolean closed;

    OutboundAccount(LoopBudget loop, LongSupplier pendingBytes, Runnable caughtUp) {
        this.loop = loop;
        this.pendingBytes = pendingBytes;
        this.caughtUp = caughtUp;
    }

    /** Samples the connection's unsent bytes; call after a flush or anything else that changes them. */
    public void update() {
        if (closed) {
            return;
        }
        long now = pendingBytes.getAsLong();
        if (now != counted) {
            loop.add(now - counted);
            counted = now;
        }
        if (now > 0 && !tracked) {
            tracked = true;
            loop.track(this);
        }
    }

    /**
     * Whether the node is too short to give this connection another message: under pressure when it is behind by
     * the threshold, at the limit when it has any backlog at all. Decided by the level of the loop's last refresh.
     */
    public boolean refused() {
        return refusedAt(loop.level());
    }

    /** {@link #refused()} with the level recomputed now (for decisions outside the fan-out, e.g. timers). */
    public boolean refusedNow() {
        return refusedAt(loop.refresh());
    }

    private boolean refusedAt(OutboundBudget.Level level) {
        if (level == OutboundBudget.Level.UNDER || closed) {
            return false;
        }
        long now = pendingBytes.getAsLong();
        return level == OutboundBudget.Level.FULL ? now > 0 : now >= loop.behindBytes();
    }

    /** The connection closed: its backlog no longer counts (Netty released the buffers). Idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.add(-counted);
        counted = 0;
    }

    /** The backlog counted now (for tests and logs). */
    public long counted() {
        return counted;
    }

    /** Sweep: samples again; false when the connection has no backlog any more (or closed) and leaves the list. */
    boolean resample() {
        update();
        if (closed || counted == 0) {
            tracked = false;
            return false;
        }
        return true;
    }

    boolean closed() {
        return closed;
    }

    void caughtUp() {
        if (caughtUp != null && !closed) {
            caughtUp.run();
        }
    }
}
