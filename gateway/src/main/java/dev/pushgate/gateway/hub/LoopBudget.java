package dev.pushgate.gateway.hub;

import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One event loop's share of the {@link OutboundBudget}: the backlog of its connections, and the level the fan-out
 * decides by. Loop-confined.
 *
 * <p>A connection's backlog is sampled when it changes in ways the gateway sees (after a flush, a control frame, a
 * writability change) and is cleared when the connection closes. Sockets also drain on their own after a flush, which
 * nothing reports; so every connection left with a backlog is re-sampled every {@link #SWEEP_MILLIS} until it is
 * back to zero (only those: connections that keep up are never in the list).
 */
public final class LoopBudget {
    static final long SWEEP_MILLIS = 50;

    private final OutboundBudget node;
    private final EventLoop loop;
    private final ArrayList<OutboundAccount> behind = new ArrayList<>();
    private final ArrayList<OutboundAccount> drained = new ArrayList<>();
    private OutboundBudget.Level level = OutboundBudget.Level.UNDER;
    private boolean sweepScheduled;
    private final AtomicLong newestArrival = new AtomicLong(Long.MIN_VALUE);

    LoopBudget(OutboundBudget node, EventLoop loop) {
        this.node = node;
        this.loop = loop;
    }

    /**
     * Opens the account of one connection of this loop. {@code pendingBytes} reads the connection's unsent bytes;
     * {@code caughtUp} (may be null) runs when a sweep finds it back at zero.
     */
    public OutboundAccount open(LongSupplier pendingBytes, Runnable caughtUp) {
        return new OutboundAccount(this, pendingBytes, caughtUp);
    }

    /** Recomputes the node's level (two counter reads); the fan-out calls it before each message. */
    public OutboundBudget.Level refresh() {
        level = node.level();
        return level;
    }

    /** A publication stamped {@code receivedNanos} is about to be queued for this loop (any thread). */
    void arrived(long receivedNanos) {
        newestArrival.accumulateAndGet(receivedNanos, Math::max);
    }

    /**
     * Whether a queued publication stamped {@code receivedNanos} is more than the node's maximum queue delay older
     * than the newest one queued for this loop since, and so must be dropped rather than delivered late. Measured
     * against newer traffic, not the clock: a loop that is behind the publications sheds, a loop that merely
     * stalled (a GC pause stops the publishers too) with nothing newer waiting delivers what it has. Loop only.
     */
    boolean expired(long receivedNanos) {
        long max = node.maxQueueDelayNanos();
        return max > 0 && newestArrival.get() - receivedNanos > max;
    }

    /** The level at the last {@link #refresh()}. */
    public OutboundBudget.Level level() {
        return level;
    }

    int behindBytes() {
        return node.behindBytes();
    }

    /** Loop only: a connection's sampled backlog changed by {@code delta}. */
    void add(long delta) {
        node.addBacklog(delta);
    }

    /** Loop only: {@code a} has a backlog; sample it until it is gone. */
    void track(OutboundAccount a) {
        behind.add(a);
        if (!sweepScheduled) {
            sweepScheduled = true;
            loop.schedule(this::sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void sweep() {
        sweepScheduled = false;
        for (int i = behind.size() - 1; i >= 0; i--) {
            OutboundAccount a = behind.get(i);
            if (a.resample()) {
                continue;
            }
            int last = behind.size() - 1;
            behind.set(i, behind.get(last));
            behind.remove(last);
            if (!a.closed()) {
                drained.add(a);
            }
        }
        if (!behind.isEmpty()) {
            sweepScheduled = true;
            loop.schedule(this::sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
        // After the walk: a caught-up callback may write (and so be tracked again).
        for (int i = 0; i < drained.size(); i++) {
            drained.get(i).caughtUp();
        }
        drained.clear();
    }
}
