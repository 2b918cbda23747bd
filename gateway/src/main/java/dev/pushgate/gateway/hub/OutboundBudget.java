package dev.pushgate.gateway.hub;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The node-wide outbound byte budget ({@code outbound.node-budget}): bytes waiting in connections' outbound buffers
 * after their flush (what the sockets did not take yet, as Netty counts them for writability, so a frame shared by
 * many connections counts once per connection: an upper bound of the memory held) plus the bytes of publications
 * waiting in the per-loop fan-out queues.
 *
 * <p>Levels: below half the limit nothing changes. From half ({@link Level#PRESSURE}) connections already behind by
 * {@code behindBytes} or more are refused new messages (skipped or closed by their namespace's slow-consumer
 * policy). From three quarters ({@link Level#FULL}) every connection with any backlog is refused. Publications that
 * would take the total past the limit are not queued (dropped and counted). Connections that keep up (no backlog
 * after their flush) are always served, so backlogs stop growing a little past three quarters (at most one message
 * per connection that was not behind yet), and the last quarter stays for the queues that serve the healthy ones.
 *
 * <p>Queue delay: publications wait in a loop's queue while the loop is busy. A loop that is behind (offered more
 * than it can write) would deliver ever older messages and hold ever more of them; with a maximum queue delay it
 * drops, for its own subscribers, every publication that is more than that older than the newest one queued for it
 * (counted as {@code queue_delay}), so what it delivers is at most about that late and what it holds is at most
 * that much traffic.
 *
 * <p>Thread safety: any thread. Two counters: connection backlogs (changed by event loops, only when a sampled
 * backlog changes, so connections that keep up never touch it) and queued bytes (changed per queued publication).
 */
public final class OutboundBudget {
    /** How short the node is. */
    public enum Level { UNDER, PRESSURE, FULL }

    private final long limit;
    private final long pressure;
    private final long full;
    private final int behindBytes;
    private final Map<EventExecutor, LoopBudget> loops = new IdentityHashMap<>();
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong queued = new AtomicLong();
    private final long maxQueueDelayNanos;
    private final LongSupplier clock;

    /**
     * @param limit       the budget in bytes (positive)
     * @param behindBytes from this backlog on, a connection counts as behind once the node is under pressure
     */
    public OutboundBudget(long limit, EventLoopGroup group, int behindBytes) {
        this(limit, group, behindBytes, 0, System::nanoTime);
    }

    /**
     * As above; a publication that waited in a loop's queue for more than {@code maxQueueDelayNanos} (0: no limit)
     * is not delivered by that loop (see {@link LoopBudget#expired}). {@code clock} gives the time publications are
     * stamped and aged with ({@link System#nanoTime} but in tests).
     */
    public OutboundBudget(long limit, EventLoopGroup group, int behindBytes, long maxQueueDelayNanos,
                          LongSupplier clock) {
        if (limit <= 0 || behindBytes <= 0 || maxQueueDelayNanos < 0) {
            throw new IllegalArgumentException("budget and behind threshold must be positive, the delay not negative");
        }
        this.maxQueueDelayNanos = maxQueueDelayNanos;
        this.clock = clock;
        this.limit = limit;
        this.pressure = limit / 2;
        this.full = limit - limit / 4;
        this.behindBytes = behindBytes;
        for (EventExecutor e : group) {
            loops.put(e, new LoopBudget(this, (EventLoop) e));
        }
    }

    /** The budget in bytes. */
    public long limit() {
        return limit;
    }

    /** Bytes counted against the budget now: connection backlogs plus queued publications. */
    public long inUse() {
        return backlog.get() + queued.get();
    }

    /** The share of {@code loop} (one of the group's). */
    public LoopBudget loop(EventExecutor loop) {
        LoopBudget l = loops.get(loop);
        if (l == null) {
            throw new IllegalArgumentException("not one of the budget's event loops");
        }
        return l;
    }

    /** The time publications are stamped with when they arrive (nanoseconds, {@link System#nanoTime} scale). */
    public long now() {
        return clock.getAsLong();
    }

    long maxQueueDelayNanos() {
        return maxQueueDelayNanos;
    }

    Level level() {
        long used = inUse();
        return used >= full ? Level.FULL : used >= pressure ? Level.PRESSURE : Level.UNDER;
    }

    void addBacklog(long delta) {
        backlog.addAndGet(delta);
    }

    int behindBytes() {
        return behindBytes;
    }

    /** Counts {@code bytes} of a publication about to be queued; false (nothing counted) when it would not fit. */
    boolean tryQueue(int bytes) {
        if (inUse() + bytes > limit) {
            return false;
        }
        queued.addAndGet(bytes);
        return true;
    }

    /** A queued publication of {@code bytes} left its queue (delivered, dropped or discarded). */
    void dequeued(int bytes) {
        queued.addAndGet(-bytes);
    }
}
